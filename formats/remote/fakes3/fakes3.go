// Package fakes3 starts an in-memory S3 server on the loopback interface
// (github.com/johannesboyne/gofakes3) for tests of S3 inputs.
package fakes3

import (
	"bytes"
	"fmt"
	"net/http/httptest"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is an in-memory S3 server answering path-style requests at URL.
type Server struct {
	*httptest.Server
	backend *s3mem.Backend
}

// New starts an empty server; Close stops it.
func New() *Server {
	b := s3mem.New()
	faker := gofakes3.New(b)
	return &Server{Server: httptest.NewServer(faker.Server()), backend: b}
}

// Put stores data as bucket/key, creating the bucket when needed.
func (s *Server) Put(bucket, key string, data []byte) error {
	if ok, _ := s.backend.BucketExists(bucket); !ok {
		if err := s.backend.CreateBucket(bucket); err != nil {
			return fmt.Errorf("fakes3: create bucket %s: %w", bucket, err)
		}
	}
	if _, err := s.backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		return fmt.Errorf("fakes3: put %s/%s: %w", bucket, key, err)
	}
	return nil
}
