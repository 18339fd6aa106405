package web

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func serveAsset(h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestAssets(t *testing.T) {
	h := Assets()
	cases := []struct {
		name, method, path string
		status             int
		ctype, contains    string
	}{
		{"page", http.MethodGet, "/", http.StatusOK, "text/html", `src="/static/board.js"`},
		{"page head", http.MethodHead, "/", http.StatusOK, "text/html", ""},
		{"style", http.MethodGet, "/static/board.css", http.StatusOK, "text/css", ".board"},
		{"script", http.MethodGet, "/static/board.js", http.StatusOK, "javascript", "EventSource"},
		{"unknown file", http.MethodGet, "/static/nope.js", http.StatusNotFound, "application/json", `"error"`},
		{"static folder", http.MethodGet, "/static/", http.StatusNotFound, "application/json", `"error"`},
		{"page by name", http.MethodGet, "/index.html", http.StatusNotFound, "application/json", `"error"`},
		{"page under static", http.MethodGet, "/static/index.html", http.StatusNotFound, "application/json", `"error"`},
		{"dot dot", http.MethodGet, "/static/../static.go", http.StatusNotFound, "application/json", `"error"`},
		{"post", http.MethodPost, "/", http.StatusMethodNotAllowed, "application/json", `"error"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := serveAsset(h, tc.method, tc.path)
			if rec.Code != tc.status || !strings.Contains(rec.Header().Get("Content-Type"), tc.ctype) {
				t.Fatalf("%s %s = %d %q, want %d %s", tc.method, tc.path, rec.Code, rec.Header().Get("Content-Type"), tc.status, tc.ctype)
			}
			if !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("%s %s body does not contain %q", tc.method, tc.path, tc.contains)
			}
			if tc.method == http.MethodHead && rec.Body.Len() != 0 {
				t.Errorf("HEAD %s wrote %d bytes of body", tc.path, rec.Body.Len())
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s %s has no nosniff header", tc.method, tc.path)
			}
			if tc.status >= 400 {
				var body struct{ Error string }
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == "" {
					t.Errorf("%s %s error body %q, %v; want {\"error\": ...}", tc.method, tc.path, rec.Body, err)
				}
			}
		})
	}
}

func TestAssets_PageHeaders(t *testing.T) {
	rec := serveAsset(Assets(), http.MethodGet, "/")
	for k, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-cache",
		"X-Frame-Options":         "DENY",
	} {
		if got := rec.Header().Get(k); !strings.Contains(got, want) {
			t.Errorf("GET / header %s = %q, want it to contain %q", k, got, want)
		}
	}
	if rec := serveAsset(Assets(), http.MethodGet, "/static/board.js"); rec.Header().Get("Content-Security-Policy") != "" {
		t.Errorf("GET /static/board.js has a CSP; only the page needs one")
	}
}

func TestAssets_ETagRevalidates(t *testing.T) {
	h := Assets()
	first := serveAsset(h, http.MethodGet, "/static/board.css")
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("GET /static/board.css has no ETag")
	}
	if rec := serveAsset(h, http.MethodGet, "/static/board.css", "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("GET with If-None-Match %s = %d, want 304", etag, rec.Code)
	}
	if other := serveAsset(h, http.MethodGet, "/static/board.js").Header().Get("ETag"); other == etag {
		t.Errorf("board.js and board.css share the ETag %s", etag)
	}
}

// TestAssets_SelfContained: the page loads only its own files, so it works
// with no outside network and under its CSP, and it never parses server
// text as HTML.
func TestAssets_SelfContained(t *testing.T) {
	h := Assets()
	page := serveAsset(h, http.MethodGet, "/").Body.String()
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 2 {
		t.Fatalf("the page references %d files, want its script and style", len(refs))
	}
	for _, m := range refs {
		ref := m[1]
		if ref == "data:," {
			continue // the empty favicon
		}
		if !strings.HasPrefix(ref, "/static/") {
			t.Errorf("the page references %q, want only /static/ files", ref)
			continue
		}
		if rec := serveAsset(h, http.MethodGet, ref); rec.Code != http.StatusOK {
			t.Errorf("the page references %s, which answers %d", ref, rec.Code)
		}
	}
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(name)
		if err != nil {
			return err
		}
		text := string(body)
		for _, bad := range []string{"http://", "https://", "//fonts.", "@import"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s contains %q: the page must not load outside files", name, bad)
			}
		}
		if strings.HasSuffix(name, ".js") {
			for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
				if strings.Contains(text, bad) {
					t.Errorf("%s uses %s: put server text in as text", name, bad)
				}
			}
		}
		if strings.HasSuffix(name, ".html") && (strings.Contains(text, "<script>") || strings.Contains(text, " style=")) {
			t.Errorf("%s has inline script or style, which the page's CSP blocks", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAssets_TestHooks: the browser test and people's scripts find the
// phones and panels by these ids.
func TestAssets_TestHooks(t *testing.T) {
	page := serveAsset(Assets(), http.MethodGet, "/").Body.String()
	for _, id := range []string{
		`id="login"`, `id="company-name"`, `id="kpis"`, `id="job-groups"`, `id="tech-list"`, `id="detail"`,
		`id="detail-result"`, `id="transcript"`, `id="audit"`, `data-testid="say-text"`, `data-testid="assign-tech"`,
		`id="phone-customer"`, `id="phone-technician"`, `id="phone-dispatcher"`,
	} {
		if !strings.Contains(page, id) {
			t.Errorf("the page has no %s", id)
		}
	}
}

// TestAssets_ThroughRouter: the router mounts the page and its files.
func TestAssets_ThroughRouter(t *testing.T) {
	e := New(Deps{Assets: Assets()})
	for path, ctype := range map[string]string{"/": "text/html", "/static/board.js": "javascript", "/static/board.css": "text/css"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), ctype) {
			t.Errorf("GET %s through the router = %d %q, want 200 %s", path, rec.Code, rec.Header().Get("Content-Type"), ctype)
		}
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/missing.css", nil))
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("GET /static/missing.css through the router = %d %s, want a JSON 404", rec.Code, rec.Body)
	}
}
