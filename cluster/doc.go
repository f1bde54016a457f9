// Package cluster runs chunkpipe jobs on NATS JetStream: a coordinator
// publishes one small task message per chunk (or a few chunks) of a job, and
// worker processes on any machine that sees the same filesystem pull the
// tasks, read their input regions themselves, run the chain and store the
// output, then publish a small result record. Bulk data never goes through
// NATS.
//
// # Roles
//
//   - [Run] is the coordinator: it opens the input's header (never its
//     data), creates the output, publishes the tasks, merges the results in
//     chunk order and commits the output. [RunBatch] runs many jobs (one
//     output per file) over the same work queue.
//   - [Serve] is a worker: it pulls tasks from the shared durable consumer
//     and runs them, K at a time.
//   - [StartServer] runs an embedded JetStream server on 127.0.0.1, and
//     [StartLocal] a server plus N worker processes of this executable (the
//     `--cluster embedded:N` mode of `chunkpipe run`).
//
// # Outputs
//
// Zarr: workers encode whole output chunks and write them straight into the
// coordinator's temporary store (zarr.OpenShared), each under a temporary
// name and renamed; the coordinator writes the metadata and renames the
// store into place. npy and NetCDF classic: the coordinator preallocates
// the temporary file with its header (netcdf3.Writer.DataFile), workers
// pwrite their rows into it. GeoTIFF and COG: workers encode the tiles of
// their chunks (geotiff.NewTileEncoder) and send them with their result,
// inline or in a staging file when large; the coordinator places them in
// chunk order (geotiff.Writer.WriteTile) and commits, so the file is a
// local run's with one write worker; parts of tiles that straddle chunks
// travel as raw pixels and the coordinator encodes those tiles.
// Reductions (stats, histogram): workers publish each chunk's exact
// partial, and the coordinator merges them in chunk order, so the result
// has the same bits as a local run. Other output formats are refused.
//
// # Planned jobs
//
// A job with a [PlanRequest] (band math, a stack, a resampled input) is
// planned again by each worker from the request, as the coordinator's
// planner did, and the worker runs the planned job's source and chains
// over the coordinator's grid.
//
// # Traces
//
// With Options.Trace the workers send their spans (read, lock-wait,
// compute, write of each chunk, in wall-clock time) with their results,
// and Report.Spans holds them by process: the coordinator's own, then a
// process per worker with a track per task slot.
//
// # Delivery
//
// Tasks are delivered at least once and made effectively once: a task's
// Msg-Id (job/chunk) dedupes publishes, outputs are idempotent (a duplicate
// writes the same bytes, atomically), and completion is counted from result
// records, each chunk once, never from acks. A worker sends InProgress
// while a task runs longer than a third of AckWait; a worker that dies or
// stops has its tasks redelivered after AckWait. A read or write error is
// retried (Nak with a delay), an error that would repeat (a bad chain, a
// kernel's error) terminates the task; a task delivered MaxDeliver times
// fails its job with an error naming the chunk.
package cluster
