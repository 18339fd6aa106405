package twilio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	twiliosdk "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
	"golang.org/x/time/rate"

	"dispatchbot/bot"
	"dispatchbot/config"
)

// limiterBurst is how many segments a number may send at once before pacing
// starts; it must be at least MaxSegments.
const limiterBurst = MaxSegments

var errNotHTTPURL = errors.New("twilio: not an absolute http(s) url")

// maxIdleConns is how many connections to the API are kept open for reuse:
// more than the delivery workers that send at once.
const maxIdleConns = 64

// SenderOptions configures a Sender; zero values take the defaults.
type SenderOptions struct {
	// APIBase replaces https://api.twilio.com (TWILIO_API_BASE); "" means Twilio's own.
	APIBase string
	// StatusCallback is the full URL Twilio reports delivery to; "" asks for no reports.
	StatusCallback string
	// HTTPTimeout bounds each API call; 0 means 15s.
	HTTPTimeout time.Duration
	// Log receives debug lines per sent part; nil discards them.
	Log *slog.Logger
}

// Sender delivers SMS and WhatsApp messages through the Twilio REST API. It
// makes one REST client per company on first use, from the company's
// account, and paces each sending number to its SegmentsPerSecond.
type Sender struct {
	companies Companies
	callback  string
	hc        *http.Client
	log       *slog.Logger

	mu       sync.Mutex
	clients  map[string]*twiliosdk.RestClient // by company id
	limiters map[string]*rate.Limiter         // by sending number
}

var _ bot.Sender = (*Sender)(nil)

// NewSender returns a Sender for the companies. It fails when APIBase or
// StatusCallback is set but not an absolute http(s) URL.
func NewSender(companies Companies, opts SenderOptions) (*Sender, error) {
	target, err := parseBase(opts.APIBase)
	if err != nil {
		return nil, fmt.Errorf("twilio: api base %q: %w", opts.APIBase, err)
	}
	if opts.StatusCallback != "" {
		if _, err := parseBase(opts.StatusCallback); err != nil {
			return nil, fmt.Errorf("twilio: status callback %q: %w", opts.StatusCallback, err)
		}
	}
	timeout := opts.HTTPTimeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	// Every delivery worker sends to the same host; with the default of 2
	// idle connections per host the others would dial afresh each time.
	base.MaxIdleConnsPerHost = maxIdleConns
	return &Sender{
		companies: companies,
		callback:  opts.StatusCallback,
		hc: &http.Client{
			Timeout:   timeout,
			Transport: transport{target: target, base: base},
			// Like twilio-go's own client: a redirect is an answer, not a hop.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		log:      log,
		clients:  make(map[string]*twiliosdk.RestClient),
		limiters: make(map[string]*rate.Limiter),
	}, nil
}

// Send delivers m as one or more messages of at most MaxSegments segments,
// in order, skipping the first m.SkipParts. When a part fails after others
// were sent in this call it returns a *bot.PartialError whose Sent is the new
// SkipParts. Rejections that retrying cannot fix wrap bot.ErrPermanent;
// Twilio's 429 gives a *bot.RetryAfterError; server and network errors are
// plain and retryable.
func (s *Sender) Send(ctx context.Context, m bot.Outbound) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("twilio: send: %w", err)
	}
	if m.To.Channel != bot.SMS && m.To.Channel != bot.WhatsApp {
		return fmt.Errorf("twilio: send on channel %q: %w", m.To.Channel, bot.ErrPermanent)
	}
	co, ok := s.companies.Company(m.Company)
	if !ok {
		return fmt.Errorf("twilio: send for unknown company %q: %w", m.Company, bot.ErrPermanent)
	}
	tw := twilioAccount(co)
	if tw == nil {
		return fmt.Errorf("twilio: company %q has no twilio account: %w", co.ID, bot.ErrPermanent)
	}
	from := m.Via
	if from == "" {
		from = co.SMSNumber()
	}
	if !isE164(from) {
		return fmt.Errorf("twilio: company %q has no valid sending number: %w", co.ID, bot.ErrPermanent)
	}
	if !isE164(m.To.ID) {
		return fmt.Errorf("twilio: send to %s: not an E.164 number: %w", m.To.Masked(), bot.ErrPermanent)
	}
	parts := Split(strings.ToValidUTF8(m.Text, "\uFFFD"))
	if len(parts) == 0 {
		return fmt.Errorf("twilio: send to %s: empty message: %w", m.To.Masked(), bot.ErrPermanent)
	}
	rc, lim := s.client(co.ID, tw), s.limiter(from, tw.SegmentsPerSecond)
	to, sender := formatAddress(m.To.Channel, m.To.ID), formatAddress(m.To.Channel, from)
	skip := max(m.SkipParts, 0)
	for i := skip; i < len(parts); i++ {
		err := s.sendPart(ctx, rc, lim, to, sender, parts[i])
		if err != nil {
			err = fmt.Errorf("twilio: send to %s part %d/%d: %w", m.To.Masked(), i+1, len(parts), err)
			if i > skip {
				return &bot.PartialError{Sent: i, Err: err}
			}
			return err
		}
	}
	return nil
}

// sendPart waits for the number's rate limit, then creates one message.
// CreateMessage takes no context, so ctx is checked before the call and the
// call itself is bounded by the HTTP client's timeout.
func (s *Sender) sendPart(ctx context.Context, rc *twiliosdk.RestClient, lim *rate.Limiter, to, from, body string) error {
	if err := lim.WaitN(ctx, Segments(body)); err != nil {
		return fmt.Errorf("wait for rate limit: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p := &openapi.CreateMessageParams{}
	p.SetTo(to).SetFrom(from).SetBody(body)
	if s.callback != "" {
		p.SetStatusCallback(s.callback)
	}
	msg, err := rc.Api.CreateMessage(p)
	if err != nil {
		return classify(err)
	}
	if msg != nil && msg.Sid != nil {
		s.log.DebugContext(ctx, "twilio message created", "sid", *msg.Sid, "to", bot.MaskID(to))
	}
	return nil
}

// client returns the company's REST client, making it on first use.
func (s *Sender) client(company string, tw *config.Twilio) *twiliosdk.RestClient {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rc, ok := s.clients[company]; ok {
		return rc
	}
	c := &client.Client{Credentials: client.NewCredentials(tw.AccountSID, tw.AuthToken), HTTPClient: s.hc}
	c.SetAccountSid(tw.AccountSID) // with ClientParams.Client the SDK ignores AccountSid
	rc := twiliosdk.NewRestClientWithParams(twiliosdk.ClientParams{Client: c})
	s.clients[company] = rc
	return rc
}

// limiter returns the pacing limiter of a sending number, making it on first use.
func (s *Sender) limiter(number string, perSecond float64) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.limiters[number]; ok {
		return l
	}
	if perSecond <= 0 {
		perSecond = 1
	}
	l := rate.NewLimiter(rate.Limit(perSecond), limiterBurst)
	s.limiters[number] = l
	return l
}

// permanentCodes names the Twilio error codes that retrying cannot fix.
var permanentCodes = map[int]string{
	21211: "invalid To number",
	21408: "region not enabled",
	21610: "recipient unsubscribed",
	21612: "To number not reachable",
	21614: "To number is not mobile",
	63003: "WhatsApp channel not available",
	63016: "outside the WhatsApp session window",
}

// classify translates a twilio-go error. Twilio's message is left out: it
// may quote the phone number, and vendor types must not reach the core.
func classify(err error) error {
	var tre *client.TwilioRestError
	if !errors.As(err, &tre) {
		return err // network or decoding: retryable
	}
	switch {
	case tre.Status == http.StatusTooManyRequests:
		return &bot.RetryAfterError{After: time.Second, Err: fmt.Errorf("twilio api status %d code %d", tre.Status, tre.Code)}
	case tre.Status >= 500 || tre.Status < 400:
		// Server errors, and error bodies that did not say their status (a
		// proxy's JSON), may pass.
		return fmt.Errorf("twilio api status %d code %d", tre.Status, tre.Code)
	}
	reason := permanentCodes[tre.Code]
	if reason == "" {
		reason = "request rejected"
	}
	return fmt.Errorf("twilio api status %d code %d (%s): %w", tre.Status, tre.Code, reason, bot.ErrPermanent)
}
