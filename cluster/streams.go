package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names of the streams, subjects and the shared consumer.
const (
	TaskStream    = "CHUNKPIPE_TASKS"
	ResultStream  = "CHUNKPIPE_RESULTS"
	Consumer      = "workers"
	taskSubject   = "chunkpipe.task."
	resultSubject = "chunkpipe.result."
	// maxDeliveriesAdvisory is the server's advisory when a task has been
	// delivered MaxDeliver times without an ack.
	maxDeliveriesAdvisory = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + TaskStream + "." + Consumer
)

// Defaults of [Options].
const (
	DefaultAckWait    = 30 * time.Second
	DefaultMaxDeliver = 5
)

// connect dials url with reconnects that outlast a server restart.
func connect(url, name string) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond),
		nats.RetryOnFailedConnect(false), nats.Timeout(5*time.Second))
	if err != nil {
		return nil, nil, fmt.Errorf("cluster: connect %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("cluster: jetstream on %s: %w", url, err)
	}
	return nc, js, nil
}

// ensureStreams creates (or updates) the task and result streams and the
// workers' consumer.
func ensureStreams(ctx context.Context, js jetstream.JetStream, ackWait time.Duration, maxDeliver int) (jetstream.Stream, jetstream.Stream, error) {
	tasks, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: TaskStream, Subjects: []string{taskSubject + ">"}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Duplicates: 2 * time.Minute,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cluster: task stream: %w", err)
	}
	results, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: ResultStream, Subjects: []string{resultSubject + ">"}, Retention: jetstream.LimitsPolicy,
		Storage: jetstream.FileStorage, Duplicates: 2 * time.Minute, MaxAge: 24 * time.Hour,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cluster: result stream: %w", err)
	}
	_, err = tasks.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable: Consumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: ackWait,
		MaxDeliver: maxDeliver, MaxAckPending: 1 << 16, FilterSubject: taskSubject + ">",
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cluster: workers' consumer: %w", err)
	}
	return tasks, results, nil
}

// waitConsumer waits until the workers' consumer exists (a coordinator
// creates it), polling until ctx is done.
func waitConsumer(ctx context.Context, js jetstream.JetStream) (jetstream.Consumer, error) {
	for {
		c, err := js.Consumer(ctx, TaskStream, Consumer)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, jetstream.ErrStreamNotFound) && !errors.Is(err, jetstream.ErrConsumerNotFound) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, nats.ErrTimeout) {
			return nil, fmt.Errorf("cluster: workers' consumer: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
