package twilio

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/twilio/twilio-go/client"

	"dispatchbot/bot"
	"dispatchbot/config"
)

// signatureHeader carries Twilio's signature of the request.
const signatureHeader = "X-Twilio-Signature"

// emptyTwiML is the answer that tells Twilio to send nothing back; replies go
// through the outbox instead. It is exactly what twiml.Messages(nil) renders;
// that package is not used because its etree dependency is not in go.sum.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

// Handler receives verified messages and delivery reports; *bot.Bot satisfies it.
type Handler interface {
	// Handle applies one inbound message. An error means it was not applied
	// and the provider should retry.
	Handle(ctx context.Context, in bot.Inbound) error
	// HandleStatus records one delivery report. An error means it was not
	// recorded and the provider should retry.
	HandleStatus(ctx context.Context, s bot.DeliveryStatus) error
}

// WebhookOptions configures a Webhook; zero values take the defaults.
type WebhookOptions struct {
	// PublicURL is the externally visible base URL (PUBLIC_URL) the signature
	// is checked against; "" means each request's own scheme and host.
	PublicURL string
	// Observer counts rejected requests; nil records nothing.
	Observer bot.Observer
	// Log receives warnings and errors; nil discards them.
	Log *slog.Logger
	// Budget bounds the processing of one request; 0 means 5s.
	Budget time.Duration
	// Now is the clock stamped on inbound messages; nil means time.Now.
	Now func() time.Time
}

// Webhook serves Twilio's Messaging webhook and status callbacks.
type Webhook struct {
	companies Companies
	h         Handler
	publicURL string
	obs       bot.Observer
	log       *slog.Logger
	budget    time.Duration
	now       func() time.Time
}

// NewWebhook returns a Webhook that finds companies by their Twilio numbers
// and passes verified requests to h.
func NewWebhook(companies Companies, h Handler, opts WebhookOptions) *Webhook {
	w := &Webhook{
		companies: companies,
		h:         h,
		publicURL: strings.TrimRight(opts.PublicURL, "/"),
		obs:       opts.Observer,
		log:       opts.Log,
		budget:    opts.Budget,
		now:       opts.Now,
	}
	if w.obs == nil {
		w.obs = bot.NopObserver{}
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.budget <= 0 {
		w.budget = 5 * time.Second
	}
	if w.now == nil {
		w.now = time.Now
	}
	return w
}

// Inbound serves POST /webhooks/twilio: it verifies the signature, passes the
// message to Handler.Handle and answers empty TwiML. A request that is
// malformed (400), for a number no company owns (404) or badly signed (403)
// changes nothing; a Handle error answers 503 so that Twilio retries.
func (w *Webhook) Inbound(c echo.Context) error {
	req := c.Request()
	log := w.log.With("request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	form, err := postForm(req)
	if err != nil {
		w.obs.Inbound(bot.SMS, bot.OutcomeRejected)
		return err
	}
	ch, via := parseAddress(form.Get("To"))
	if via == "" {
		return w.reject(ch, http.StatusBadRequest, "missing To")
	}
	co, ok := w.companies.CompanyByNumber(via)
	if !ok {
		log.Warn("twilio inbound for unknown number", "to", bot.MaskID(via))
		return w.reject(ch, http.StatusNotFound, "unknown destination number")
	}
	if !w.verify(req, co, form) {
		log.Warn("twilio inbound with invalid signature", "company", co.ID)
		return w.reject(ch, http.StatusForbidden, "invalid signature")
	}
	sid := firstOf(form, "MessageSid", "SmsSid")
	if sid == "" {
		return w.reject(ch, http.StatusBadRequest, "missing MessageSid")
	}
	fromCh, from := parseAddress(form.Get("From"))
	if fromCh != ch || !isE164(from) {
		log.Warn("twilio inbound with malformed sender", "company", co.ID, "sid", sid)
		return w.reject(ch, http.StatusBadRequest, "malformed From")
	}
	in := bot.Inbound{
		Company:    co.ID,
		From:       bot.Address{Channel: ch, ID: from},
		Via:        via,
		Text:       form.Get("Body"),
		Media:      mediaURLs(form),
		ProviderID: sid,
		At:         w.now(),
	}
	ctx, cancel := context.WithTimeout(req.Context(), w.budget)
	defer cancel()
	if err := w.h.Handle(ctx, in); err != nil && !errors.Is(err, bot.ErrDuplicate) {
		log.Error("twilio inbound not applied", "company", co.ID, "sid", sid,
			"from", in.From.Masked(), "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "temporarily unavailable")
	}
	return c.Blob(http.StatusOK, echo.MIMETextXMLCharsetUTF8, []byte(emptyTwiML))
}

// Status serves POST /webhooks/twilio/status: it verifies the signature and
// passes the delivery report to Handler.HandleStatus. The company is found by
// the From number, which is ours. Errors answer as Inbound's do.
func (w *Webhook) Status(c echo.Context) error {
	req := c.Request()
	log := w.log.With("request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	form, err := postForm(req)
	if err != nil {
		return err
	}
	ch, ours := parseAddress(form.Get("From"))
	if ours == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "missing From")
	}
	co, ok := w.companies.CompanyByNumber(ours)
	if !ok {
		log.Warn("twilio status for unknown number", "from", bot.MaskID(ours))
		return echo.NewHTTPError(http.StatusNotFound, "unknown sender number")
	}
	if !w.verify(req, co, form) {
		log.Warn("twilio status with invalid signature", "company", co.ID)
		return echo.NewHTTPError(http.StatusForbidden, "invalid signature")
	}
	sid, status := firstOf(form, "MessageSid", "SmsSid"), firstOf(form, "MessageStatus", "SmsStatus")
	if sid == "" || status == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "missing MessageSid or MessageStatus")
	}
	toCh, to := parseAddress(form.Get("To"))
	if toCh != ch || to == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "malformed To")
	}
	s := bot.DeliveryStatus{
		Company:    co.ID,
		To:         bot.Address{Channel: ch, ID: to},
		ProviderID: sid,
		Status:     status,
		ErrorCode:  form.Get("ErrorCode"),
		At:         w.now(),
	}
	ctx, cancel := context.WithTimeout(req.Context(), w.budget)
	defer cancel()
	if err := w.h.HandleStatus(ctx, s); err != nil {
		log.Error("twilio status not recorded", "company", co.ID, "sid", sid, "to", s.To.Masked(), "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "temporarily unavailable")
	}
	return c.NoContent(http.StatusOK)
}

// reject counts a rejected inbound request and returns its HTTP error.
func (w *Webhook) reject(ch bot.Channel, code int, msg string) error {
	w.obs.Inbound(ch, bot.OutcomeRejected)
	return echo.NewHTTPError(code, msg)
}

// verify checks X-Twilio-Signature against the company's auth token. Twilio
// signs the URL it called (with its query string) and the POST parameters only.
// The URL exactly as called is tried first, cheaply; when that does not
// match, twilio-go's validator also tries it with and without the port.
func (w *Webhook) verify(req *http.Request, co *config.Company, form url.Values) bool {
	tw := twilioAccount(co)
	sig := req.Header.Get(signatureHeader)
	if tw == nil || sig == "" {
		return false
	}
	u := w.requestURL(req)
	if hmac.Equal([]byte(sig), []byte(Signature(tw.AuthToken, u, form))) {
		return true
	}
	params := make(map[string]string, len(form))
	for k, v := range form {
		params[k] = v[0]
	}
	rv := client.NewRequestValidator(tw.AuthToken)
	return rv.Validate(u, params, sig)
}

// Signature is Twilio's X-Twilio-Signature of a POST of form to fullURL
// (scheme, host, path and query exactly as called): base64(HMAC-SHA1(
// authToken, fullURL and each key with its first value, keys in byte
// order)), as twilio-go's RequestValidator computes it.
func Signature(authToken, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	m := hmac.New(sha1.New, []byte(authToken))
	m.Write([]byte(fullURL))
	for _, k := range keys {
		m.Write([]byte(k))
		if v := form[k]; len(v) > 0 {
			m.Write([]byte(v[0]))
		}
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// requestURL is the URL Twilio called: PublicURL when set, otherwise the
// request's own scheme and host. X-Forwarded-Proto is not trusted: anyone can
// send it.
func (w *Webhook) requestURL(req *http.Request) string {
	if w.publicURL != "" {
		return w.publicURL + req.URL.RequestURI()
	}
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + req.Host + req.URL.RequestURI()
}

// postForm parses the request body as a form and returns the body's
// parameters only; the query string is not part of them. A body-limit error
// is returned as it came (413); any other parse error is a 400.
func postForm(req *http.Request) (url.Values, error) {
	if err := req.ParseForm(); err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "request too large")
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "malformed form")
	}
	return req.PostForm, nil
}

// firstOf returns the first non-empty value among the form's keys.
func firstOf(form url.Values, keys ...string) string {
	for _, k := range keys {
		if v := form.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// maxMedia caps the attachments taken from one MMS.
const maxMedia = 10

// mediaURLs lists an MMS's attachments (NumMedia, MediaUrl0…): links to
// Twilio's copies, kept as links.
func mediaURLs(form url.Values) []string {
	n, err := strconv.Atoi(form.Get("NumMedia"))
	if err != nil || n <= 0 {
		return nil
	}
	var urls []string
	for i := range min(n, maxMedia) {
		if u := form.Get("MediaUrl" + strconv.Itoa(i)); strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			urls = append(urls, u)
		}
	}
	return urls
}
