package remote

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"
)

// Glob lists the objects matching an S3 pattern such as
// s3://bucket/prefix/*C07*.nc, sorted. The key pattern follows
// [path.Match]: '*' does not cross '/'. The listing asks only for keys
// under the pattern's literal prefix. HTTP(S) patterns are an error:
// plain web servers have no listing to match against.
func Glob(ctx context.Context, pattern string) ([]string, error) {
	u, err := url.Parse(pattern)
	if err != nil || !strings.EqualFold(u.Scheme, "s3") || u.Host == "" {
		return nil, fmt.Errorf("remote: cannot glob %q: only s3://BUCKET/PATTERN URLs can be listed", pattern)
	}
	if strings.ContainsAny(u.Host, "*?[") {
		return nil, fmt.Errorf("remote: cannot glob %q: the bucket name must be literal", pattern)
	}
	bucket, keyPattern := u.Host, strings.TrimPrefix(u.Path, "/")
	if _, err := path.Match(keyPattern, ""); err != nil {
		return nil, fmt.Errorf("remote: bad pattern %q: %v", pattern, err)
	}
	prefix := keyPattern
	if i := strings.IndexAny(prefix, "*?[\\"); i >= 0 {
		prefix = prefix[:i]
	}
	cfg, err := loadS3Config()
	if err != nil {
		return nil, err
	}
	keys, err := cfg.list(ctx, bucket, prefix)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys {
		if ok, _ := path.Match(keyPattern, k); ok {
			out = append(out, "s3://"+bucket+"/"+k)
		}
	}
	sort.Strings(out)
	return out, nil
}

// listResult is the part of a ListObjectsV2 response that Glob reads.
type listResult struct {
	Contents []struct {
		Key string `xml:"Key"`
	} `xml:"Contents"`
	IsTruncated           bool   `xml:"IsTruncated"`
	NextContinuationToken string `xml:"NextContinuationToken"`
}

// list returns every key under prefix (ListObjectsV2, page by page; at most
// 1000 pages).
func (c s3Config) list(ctx context.Context, bucket, prefix string) ([]string, error) {
	var keys []string
	token := ""
	for page := 0; page < 1000; page++ {
		q := url.Values{"list-type": {"2"}, "prefix": {prefix}}
		if token != "" {
			q.Set("continuation-token", token)
		}
		u := c.bucketURL(bucket) + "/?" + q.Encode()
		res, err := c.listPage(ctx, u, "s3://"+bucket+"/"+prefix)
		if err != nil {
			return nil, err
		}
		for _, o := range res.Contents {
			keys = append(keys, o.Key)
		}
		if !res.IsTruncated || res.NextContinuationToken == "" {
			return keys, nil
		}
		token = res.NextContinuationToken
	}
	return nil, fmt.Errorf("remote: listing s3://%s/%s: more than 1000 pages", bucket, prefix)
}

// listPage fetches and parses one listing page, retrying 5xx answers and
// dropped connections a few times.
func (c s3Config) listPage(ctx context.Context, u, name string) (*listResult, error) {
	var lastErr error
	for attempt := 0; attempt < 4; attempt++ {
		if attempt > 0 {
			select {
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		actx, cancel := context.WithTimeout(ctx, 60*time.Second)
		res, retry, err := c.tryListPage(actx, u, name)
		cancel()
		if err == nil {
			return res, nil
		}
		if !retry || ctx.Err() != nil {
			return nil, err
		}
		lastErr = err
	}
	return nil, lastErr
}

func (c s3Config) tryListPage(ctx context.Context, u, name string) (*listResult, bool, error) {
	req, err := c.newRequest(ctx, u, http.Header{})
	if err != nil {
		return nil, false, err
	}
	resp, err := sharedClient.Do(req)
	if err != nil {
		return nil, true, fmt.Errorf("remote: listing %s: %w", name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, true, fmt.Errorf("remote: listing %s: %w", name, err)
	}
	if resp.StatusCode != http.StatusOK {
		err := &StatusError{URL: name, Status: resp.Status, Code: resp.StatusCode, Detail: s3Detail(string(body))}
		return nil, transientStatus(resp.StatusCode), err
	}
	var res listResult
	if err := xml.Unmarshal(body, &res); err != nil {
		return nil, false, fmt.Errorf("remote: listing %s: bad answer: %v", name, err)
	}
	return &res, false, nil
}

// List returns the keys of the objects under an S3 prefix URL such as
// s3://bucket/store.zarr, relative to it and sorted ("Rad/.zarray"). A
// plain HTTP(S) URL is an error: web servers have no listing.
func List(ctx context.Context, prefixURL string) ([]string, error) {
	u, err := url.Parse(prefixURL)
	if err != nil || !strings.EqualFold(u.Scheme, "s3") || u.Host == "" {
		return nil, fmt.Errorf("remote: cannot list %q: only s3://BUCKET/PREFIX URLs can be listed", prefixURL)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	cfg, err := loadS3Config()
	if err != nil {
		return nil, err
	}
	keys, err := cfg.list(ctx, u.Host, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if rel := strings.TrimPrefix(k, prefix); rel != "" {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out, nil
}
