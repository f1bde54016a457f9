package remote

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/signer"
)

// resolve turns a URL into the target its requests go to.
func resolve(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("remote: bad URL %q: %v", raw, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return nil, fmt.Errorf("remote: bad URL %q: no host", raw)
		}
		return httpTarget{u: u.String()}, nil
	case "s3":
		bucket, key := u.Host, strings.TrimPrefix(u.Path, "/")
		if bucket == "" || key == "" {
			return nil, fmt.Errorf("remote: bad S3 URL %q (want s3://BUCKET/KEY)", raw)
		}
		cfg, err := loadS3Config()
		if err != nil {
			return nil, err
		}
		return s3Target{cfg: cfg, u: cfg.objectURL(bucket, key)}, nil
	}
	return nil, fmt.Errorf("remote: %q is not an http://, https:// or s3:// URL", raw)
}

// httpTarget is a plain HTTP(S) URL.
type httpTarget struct{ u string }

func (t httpTarget) request(ctx context.Context, h http.Header) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	return req, nil
}

// s3Config is where S3 requests go and how they are signed.
type s3Config struct {
	endpoint  string // scheme://host[:port] for path-style requests; "" for AWS virtual hosts
	region    string
	creds     credentials.Value // empty AccessKeyID: anonymous
	anonymous bool
}

// loadS3Config reads the endpoint, region and credentials from the
// environment and the shared credentials file.
func loadS3Config() (s3Config, error) {
	cfg := s3Config{region: "us-east-1"}
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := os.Getenv(k); v != "" {
			cfg.region = v
			break
		}
	}
	for _, k := range []string{"CHUNKPIPE_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"} {
		if v := os.Getenv(k); v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return cfg, fmt.Errorf("remote: %s=%q is not an http(s)://HOST[:PORT] endpoint", k, v)
			}
			cfg.endpoint = u.Scheme + "://" + u.Host
			break
		}
	}
	if v := strings.ToLower(os.Getenv("AWS_NO_SIGN_REQUEST")); v == "true" || v == "1" || v == "yes" {
		cfg.anonymous = true
		return cfg, nil
	}
	if v, err := credentials.NewEnvAWS().GetWithContext(nil); err == nil && v.AccessKeyID != "" && v.SecretAccessKey != "" {
		cfg.creds = v
		return cfg, nil
	}
	if v, err := credentials.NewFileAWSCredentials("", "").GetWithContext(nil); err == nil && v.AccessKeyID != "" && v.SecretAccessKey != "" {
		cfg.creds = v
	}
	cfg.anonymous = cfg.creds.AccessKeyID == ""
	return cfg, nil
}

// objectURL is the HTTP URL of an object (keys keep their slashes).
func (c s3Config) objectURL(bucket, key string) string {
	return c.bucketURL(bucket) + "/" + escapeKey(key)
}

func (c s3Config) bucketURL(bucket string) string {
	if c.endpoint != "" {
		return c.endpoint + "/" + bucket
	}
	if strings.Contains(bucket, ".") {
		return "https://s3." + c.region + ".amazonaws.com/" + bucket
	}
	return "https://" + bucket + ".s3." + c.region + ".amazonaws.com"
}

func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// s3Target is one S3 object.
type s3Target struct {
	cfg s3Config
	u   string
}

func (t s3Target) request(ctx context.Context, h http.Header) (*http.Request, error) {
	return t.cfg.newRequest(ctx, t.u, h)
}

// newRequest builds a GET of u, signed (Signature V4) unless anonymous.
func (c s3Config) newRequest(ctx context.Context, u string, h http.Header) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if c.anonymous {
		return req, nil
	}
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	return signer.SignV4(*req, c.creds.AccessKeyID, c.creds.SecretAccessKey, c.creds.SessionToken, c.region), nil
}
