package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// staticFS holds the board and simulator page: plain HTML, CSS and JS with no
// build step, so the binary serves them as they are in the repository.
//
//go:embed static
var staticFS embed.FS

// pageCSP lets the page load only its own files and talk only to its own
// origin; no inline script or style runs.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// staticAsset is one embedded file, read once with its validator.
type staticAsset struct {
	body  []byte
	ctype string
	etag  string
}

// Assets serves the live board and the simulator: the page at "/" and its
// files at "/static/<name>". Anything else is a JSON 404, and methods other
// than GET and HEAD a JSON 405.
func Assets() http.Handler {
	files := loadStaticAssets()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := files[r.URL.Path]
		if !ok {
			staticError(w, http.StatusNotFound, "not found")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			staticError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("ETag", a.etag)
		h.Set("Cache-Control", "no-cache") // revalidate, so a new release shows at once
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path == "/" {
			h.Set("Content-Security-Policy", pageCSP)
			h.Set("Referrer-Policy", "no-referrer") // the first URL may carry ?token=
			h.Set("X-Frame-Options", "DENY")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
	})
}

// loadStaticAssets maps each URL path to its embedded file: index.html at "/",
// every other file at "/static/<name>".
func loadStaticAssets() map[string]staticAsset {
	files := map[string]staticAsset{}
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(body)
		}
		a := staticAsset{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		rel := strings.TrimPrefix(name, "static/")
		if rel == "index.html" {
			files["/"] = a
			return nil
		}
		files["/static/"+rel] = a
		return nil
	})
	if err != nil {
		panic("web: embedded page unreadable: " + err.Error()) // a broken build, not bad input
	}
	return files
}

// staticError writes the API's JSON error body outside Echo.
func staticError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(errorBody{Error: msg})
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
