package pipeline

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// WorkerEnv is set to "1" in the environment of worker processes, so that
// a program (or a test binary) can call [ServeWorker] before anything else.
const WorkerEnv = "CHUNKPIPE_WORKER"

// workerInit is the first message to a worker process: the chain to run and
// the input's geometry. Gob carries it, NaN parameters included.
type workerInit struct {
	Chain  string
	Params kernels.Params
	Shape  chunk.Shape
	DType  chunk.DType
	Planes int
}

// Every message to a worker starts with a kind byte: msgInit and a gob
// message, or msgTask and a binary frame. A task is 10 little-endian
// int64s (chunk number, output region, input region) and the input bytes
// behind a length; a reply is a status byte, the child's compute time in
// nanoseconds and the output bytes (or an error text) behind a length.
const (
	msgInit  = 'I'
	msgTask  = 'T'
	replyOK  = 0
	replyErr = 1
	// maxFrame bounds a frame's payload: no chunk is larger than this.
	maxFrame = 1 << 34
)

// workerProc is one worker process owned by one kernel worker goroutine.
type workerProc struct {
	cmd    *exec.Cmd
	in     *bufio.Writer
	stdin  io.WriteCloser
	out    *bufio.Reader
	stderr *strings.Builder
	hdr    [1 + 10*8]byte
	job    int // the job the process was last told about; -1 for none
}

// startWorker starts a worker process.
func startWorker(ctx context.Context, argv []string) (*workerProc, error) {
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("pipeline: cannot find this executable to start worker processes: %w", err)
		}
		argv = []string{exe, "__worker"}
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), WorkerEnv+"=1")
	cmd.WaitDelay = time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &workerProc{cmd: cmd, stdin: stdin, in: bufio.NewWriterSize(stdin, 1<<16), out: bufio.NewReaderSize(stdout, 1<<16), stderr: &strings.Builder{}, job: -1}
	cmd.Stderr = &lockedWriter{w: p.stderr}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pipeline: start worker process: %w", err)
	}
	return p, nil
}

// init tells the process about job id.
func (p *workerProc) init(id int, init workerInit) error {
	if err := p.in.WriteByte(msgInit); err != nil {
		return p.died(err)
	}
	if err := gob.NewEncoder(p.in).Encode(init); err != nil {
		return p.died(err)
	}
	p.job = id
	return nil
}

// compute sends t's input to the process and reads the output into res.
// It returns the child's compute time.
func (p *workerProc) compute(t *task, res *chunk.Array) (time.Duration, error) {
	p.hdr[0] = msgTask
	h := p.hdr[1:]
	vals := [10]int64{int64(t.n), int64(t.out.Row0), int64(t.out.Col0), int64(t.out.Row1), int64(t.out.Col1),
		int64(t.in.Rect.Row0), int64(t.in.Rect.Col0), int64(t.in.Rect.Row1), int64(t.in.Rect.Col1), int64(t.in.Bytes())}
	for i, v := range vals {
		binary.LittleEndian.PutUint64(h[i*8:], uint64(v))
	}
	if _, err := p.in.Write(p.hdr[:]); err != nil {
		return 0, p.died(err)
	}
	if err := writeDense(p.in, t.in); err != nil {
		return 0, p.died(err)
	}
	if err := p.in.Flush(); err != nil {
		return 0, p.died(err)
	}
	var rh [17]byte
	if _, err := io.ReadFull(p.out, rh[:]); err != nil {
		return 0, p.died(err)
	}
	ns := time.Duration(binary.LittleEndian.Uint64(rh[1:9]))
	n := binary.LittleEndian.Uint64(rh[9:17])
	if rh[0] != replyOK {
		if n > 1<<20 {
			return 0, p.died(fmt.Errorf("bad error frame of %d bytes", n))
		}
		msg := make([]byte, n)
		if _, err := io.ReadFull(p.out, msg); err != nil {
			return 0, p.died(err)
		}
		return ns, errors.New(string(msg))
	}
	if int(n) != res.Bytes() {
		return 0, p.died(fmt.Errorf("worker process sent %d bytes for a %d-byte result", n, res.Bytes()))
	}
	if _, err := io.ReadFull(p.out, res.Data[:n]); err != nil {
		return 0, p.died(err)
	}
	return ns, nil
}

// writeDense writes a's elements row after row, plane after plane, with
// no gaps: the frame a worker process reads. A strided array (a view of a
// memory-mapped input, whose Stride is the file's row length) is written
// row by row; a contiguous one in one call.
func writeDense(w io.Writer, a *chunk.Array) error {
	if a.NumPlanes() == 1 && a.Contiguous() {
		_, err := w.Write(a.Data[:a.Bytes()])
		return err
	}
	for k := range a.NumPlanes() {
		p := a
		if a.NumPlanes() > 1 {
			p = a.Plane(k)
		}
		for r := p.Rect.Row0; r < p.Rect.Row1; r++ {
			if _, err := w.Write(p.RowBytes(r)); err != nil {
				return err
			}
		}
	}
	return nil
}

// died turns a broken pipe into an error that says how the process ended.
func (p *workerProc) died(err error) error {
	p.stdin.Close()
	werr := p.cmd.Wait()
	msg := strings.TrimSpace(p.stderr.String())
	if len(msg) > 500 {
		msg = msg[len(msg)-500:]
	}
	if werr == nil {
		werr = err
	}
	if msg != "" {
		return fmt.Errorf("worker process %d died (%v): %s", p.cmd.Process.Pid, werr, msg)
	}
	return fmt.Errorf("worker process %d died (%v)", p.cmd.Process.Pid, werr)
}

// close ends the process: closing its input makes ServeWorker return.
func (p *workerProc) close() error {
	p.stdin.Close()
	return p.cmd.Wait()
}

// lockedWriter serializes writes to a strings.Builder.
type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() < 1<<16 {
		l.w.Write(b)
	}
	return len(b), nil
}

// ServeWorker is the body of a worker process: it reads the init message
// and then tasks from r, computes each with the chain, and writes the
// results to w, until r ends. Programs call it when [WorkerEnv] is set.
func ServeWorker(r io.Reader, w io.Writer) error {
	in := bufio.NewReaderSize(r, 1<<16)
	out := bufio.NewWriterSize(w, 1<<16)
	var init workerInit
	var chain *kernels.Chain
	var outType chunk.DType
	scratch := kernels.NewScratch()
	var src, dst chunk.Array
	var h [80]byte
	for {
		kind, err := in.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("pipeline: worker: read message: %w", err)
		}
		if kind == msgInit {
			init = workerInit{}
			if err := gob.NewDecoder(in).Decode(&init); err != nil {
				return fmt.Errorf("pipeline: worker: read init: %w", err)
			}
			if chain, err = kernels.ParseChain(init.Chain, init.Params); err != nil {
				return fmt.Errorf("pipeline: worker: %w", err)
			}
			outType = chain.OutDType(init.DType)
			continue
		}
		if kind != msgTask || chain == nil {
			return fmt.Errorf("pipeline: worker: unexpected message %q", kind)
		}
		if _, err := io.ReadFull(in, h[:]); err != nil {
			return fmt.Errorf("pipeline: worker: read task: %w", err)
		}
		var v [10]int64
		for i := range v {
			v[i] = int64(binary.LittleEndian.Uint64(h[i*8:]))
		}
		outR := chunk.Rect(int(v[1]), int(v[2]), int(v[3]), int(v[4]))
		inR := chunk.Rect(int(v[5]), int(v[6]), int(v[7]), int(v[8]))
		if v[9] < 0 || v[9] > maxFrame || int(v[9]) != inR.Len()*init.DType.Size()*max(init.Planes, 1) {
			return fmt.Errorf("pipeline: worker: bad task frame (%d bytes for %v)", v[9], inR)
		}
		src.ResetPlanes(init.DType, inR, init.Planes)
		src.Planes = init.Planes
		if _, err := io.ReadFull(in, src.Data); err != nil {
			return fmt.Errorf("pipeline: worker: read chunk %d: %w", v[0], err)
		}
		dst.Reset(outType, outR)
		t0 := time.Now()
		err = protect(func() error { return chain.Apply(&dst, &src, init.Shape, kernels.NoPace, scratch) })
		ns := time.Since(t0)
		var rh [17]byte
		binary.LittleEndian.PutUint64(rh[1:9], uint64(ns))
		payload := dst.Data[:dst.Bytes()]
		if err != nil {
			rh[0] = replyErr
			payload = []byte(err.Error())
		}
		binary.LittleEndian.PutUint64(rh[9:17], uint64(len(payload)))
		if _, err := out.Write(rh[:]); err != nil {
			return err
		}
		if _, err := out.Write(payload); err != nil {
			return err
		}
		if err := out.Flush(); err != nil {
			return err
		}
	}
}
