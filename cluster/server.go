package cluster

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is an embedded NATS server with JetStream, listening on
// 127.0.0.1 only.
type Server struct {
	srv      *server.Server
	StoreDir string // where JetStream keeps its streams
	Port     int    // the port it listens on, on 127.0.0.1
}

// StartServer starts an embedded JetStream server on 127.0.0.1:port (0: a
// random free port) that keeps its streams in storeDir. Restarting on the
// same storeDir keeps the tasks that were not acknowledged.
func StartServer(storeDir string, port int) (*Server, error) {
	if port == 0 {
		port = server.RANDOM_PORT
	}
	opts := &server.Options{
		ServerName: "chunkpipe", Host: "127.0.0.1", Port: port,
		JetStream: true, StoreDir: storeDir, NoSigs: true, NoLog: true,
		MaxPayload: 8 << 20,
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("cluster: embedded server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("cluster: embedded server on 127.0.0.1 did not start within 10s")
	}
	_, p, err := net.SplitHostPort(s.Addr().String())
	if err != nil {
		s.Shutdown()
		return nil, fmt.Errorf("cluster: embedded server address %v: %w", s.Addr(), err)
	}
	n, _ := strconv.Atoi(p)
	return &Server{srv: s, StoreDir: storeDir, Port: n}, nil
}

// URL is the address clients connect to.
func (s *Server) URL() string { return s.srv.ClientURL() }

// Shutdown stops the server and waits until it has.
func (s *Server) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}
