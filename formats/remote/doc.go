// Package remote reads files where they live, over HTTP(S) and S3, with
// range requests instead of a full download.
//
// A [File] is an [io.ReaderAt] of known size over one URL, safe for
// concurrent use. Reads smaller than [Options.DirectBytes] go through a
// block cache (64 KiB blocks by default, least recently used blocks evicted
// once the [Cache] holds 64 MiB, shared by all open files); a miss fetches
// the run of consecutive missing blocks after it, up to [Options.SpanBytes],
// in one request, so the many small metadata reads of an HDF5 file and reads of
// neighbouring storage chunks share requests. Larger reads go to the server
// as they are.
//
// Every response is checked: the status must be 206 Partial Content, the
// Content-Range must name exactly the requested bytes of a file of the
// expected size, and the body must hold all of them. A response that fails
// a check, a 5xx or 429 status, a timeout or a dropped connection is retried
// with exponential backoff ([Options.Retries] times); then the read fails
// with an error naming the URL and byte range. 401, 403, 404 and 410 fail at
// once, naming the URL. Requests after the first carry If-Match with the
// first answer's ETag, so a file replaced while it is read fails (412)
// instead of mixing two versions. Wrong data is never returned.
//
// URLs:
//
//	https://host/path/file.nc   plain range GETs
//	s3://bucket/key             S3 range GETs, anonymous unless credentials are given
//
// S3 requests go to CHUNKPIPE_S3_ENDPOINT (or AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL), path-style, when one is set, and otherwise to
// https://BUCKET.s3.REGION.amazonaws.com (REGION from AWS_REGION or
// AWS_DEFAULT_REGION, default us-east-1). Credentials come from
// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else from
// the shared credentials file's profile (AWS_PROFILE); without any, or with
// AWS_NO_SIGN_REQUEST=true, requests are anonymous, as public buckets such
// as NOAA's GOES archives need. [Glob] lists the objects under an S3 prefix
// that match a pattern such as s3://bucket/ABI-L1b-RadC/2020/004/03/*C07*.nc.
//
// Importing the package lets [chunkpipe/formats.Open] open such URLs with
// the format readers; every format but Zarr reads through a [File]. Zarr
// stores (directories of small objects) are read key by key with [Get],
// which fetches one whole object, and searched with [List].
package remote
