package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"dispatchbot/bot"
	"dispatchbot/config"
)

// Sender defaults, from Telegram's published limits.
const (
	defaultPerBot      = 30 // messages per second per bot
	defaultPerChat     = 1  // messages per second per chat
	defaultHTTPTimeout = 15 * time.Second
	maxIdleConns       = 64 // connections to the API kept for reuse, more than the workers sending at once
)

// webhookPath is where Telegram posts a company's updates; the company id follows.
const webhookPath = "/webhooks/telegram/"

// allowedUpdates are the update kinds the webhook asks Telegram for.
var allowedUpdates = []string{"message", "callback_query"}

var _ bot.Sender = (*Sender)(nil)

// SenderOptions tune a Sender; the zero value is usable.
type SenderOptions struct {
	APIBase     string        // TELEGRAM_API_BASE; "" means Telegram's own
	PerBot      float64       // messages per second per bot; 0 means 30
	PerChat     float64       // messages per second per chat; 0 means 1
	HTTPTimeout time.Duration // per request; 0 means 15s
	Log         *slog.Logger  // nil means slog.Default()
}

// Sender delivers messages through each company's Telegram bot, splitting
// long texts and keeping to the per-bot and per-chat rate limits.
type Sender struct {
	bots  map[string]*companyBot
	order []string // company ids in config order
	chats *chatLimits
	clock clock
	log   *slog.Logger
}

// companyBot is one company's bot client and its bot-wide limiter.
type companyBot struct {
	api    *tgbot.Bot
	lim    *rate.Limiter
	secret string
}

// NewSender builds one bot client per company with a Telegram channel. It
// makes no network calls.
func NewSender(companies []*config.Company, opts SenderOptions) (*Sender, error) {
	if opts.PerBot <= 0 {
		opts.PerBot = defaultPerBot
	}
	if opts.PerChat <= 0 {
		opts.PerChat = defaultPerChat
	}
	if opts.HTTPTimeout <= 0 {
		opts.HTTPTimeout = defaultHTTPTimeout
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	base := strings.TrimRight(opts.APIBase, "/")
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("telegram: new sender: invalid API base %q", opts.APIBase)
		}
	}

	s := &Sender{
		bots:  make(map[string]*companyBot),
		chats: newChatLimits(opts.PerChat),
		clock: realClock,
		log:   opts.Log,
	}
	// Every delivery worker sends to the same host; with the default of 2
	// idle connections per host the others would dial afresh each time.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = maxIdleConns
	hc := &http.Client{Timeout: opts.HTTPTimeout, Transport: tr}
	burst := int(math.Ceil(opts.PerBot))
	for _, co := range companies {
		if co == nil || co.Channels.Telegram == nil {
			continue
		}
		if _, dup := s.bots[co.ID]; dup {
			return nil, fmt.Errorf("telegram: new sender: company %s listed twice", co.ID)
		}
		id := co.ID
		tgOpts := []tgbot.Option{
			tgbot.WithSkipGetMe(),
			tgbot.WithHTTPClient(opts.HTTPTimeout, hc),
			tgbot.WithErrorsHandler(func(err error) {
				s.log.Warn("telegram client error", "company", id, "err", err)
			}),
		}
		if base != "" {
			tgOpts = append(tgOpts, tgbot.WithServerURL(base))
		}
		api, err := tgbot.New(co.Channels.Telegram.BotToken, tgOpts...)
		if err != nil {
			return nil, fmt.Errorf("telegram: new bot for company %s: %w", co.ID, err)
		}
		s.bots[co.ID] = &companyBot{
			api:    api,
			lim:    rate.NewLimiter(rate.Limit(opts.PerBot), burst),
			secret: co.Channels.Telegram.WebhookSecret,
		}
		s.order = append(s.order, co.ID)
	}
	return s, nil
}

// Send delivers m.Text to the Telegram chat m.To.ID in parts of at most 4096
// UTF-16 code units, skipping the first m.SkipParts. m.Buttons go under the
// last part as an inline keyboard; pressing one posts its Reply back as a
// callback_query (see Webhook). Errors wrap
// *bot.PartialError when some parts went out in this call,
// *bot.RetryAfterError when Telegram answered 429, and bot.ErrPermanent for a
// wrong address, an empty text, a blocked bot, a missing chat or a bad token.
func (s *Sender) Send(ctx context.Context, m bot.Outbound) error {
	if m.To.Channel != bot.Telegram {
		return fmt.Errorf("telegram: send to %s: not a telegram address: %w", m.To.Masked(), bot.ErrPermanent)
	}
	cb, ok := s.bots[m.Company]
	if !ok {
		return fmt.Errorf("telegram: send for company %s: no telegram bot: %w", m.Company, bot.ErrPermanent)
	}
	chatID, err := strconv.ParseInt(m.To.ID, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram: send to %s: invalid chat id: %w", m.To.Masked(), bot.ErrPermanent)
	}
	parts := splitText(m.Text, maxMessageUnits)
	if strings.TrimSpace(m.Text) == "" { // Telegram rejects a blank message
		return fmt.Errorf("telegram: send to %s: empty text: %w", m.To.Masked(), bot.ErrPermanent)
	}
	skip := min(max(m.SkipParts, 0), len(parts))
	chatKey := m.Company + ":" + m.To.ID
	sent := 0
	for i := skip; i < len(parts); i++ {
		var markup models.ReplyMarkup // stays a nil interface: no reply_markup field
		if i == len(parts)-1 {
			markup = s.keyboard(ctx, m)
		}
		if err := s.sendPart(ctx, cb, chatKey, chatID, parts[i], markup); err != nil {
			err = classify(fmt.Sprintf("telegram: send part %d/%d to %s", i+1, len(parts), m.To.Masked()), err)
			if sent > 0 {
				return &bot.PartialError{Sent: skip + sent, Err: err}
			}
			return err
		}
		sent++
	}
	return nil
}

// sendPart waits for the chat's and then the bot's limiter and sends one
// part, with markup unless it is nil.
func (s *Sender) sendPart(ctx context.Context, cb *companyBot, chatKey string, chatID int64, text string, markup models.ReplyMarkup) error {
	if err := s.clock.wait(ctx, s.chats.get(chatKey, s.clock.now())); err != nil {
		return fmt.Errorf("chat rate limit: %w", err)
	}
	if err := s.clock.wait(ctx, cb.lim); err != nil {
		return fmt.Errorf("bot rate limit: %w", err)
	}
	_, err := cb.api.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chatID, Text: text, ReplyMarkup: markup})
	return err
}

// classify translates a go-telegram error into the bot package's terms,
// prefixing it with op. Only errors.As/Is are used: the library wraps.
func classify(op string, err error) error {
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	switch {
	case errors.As(err, &tooMany):
		after := time.Duration(tooMany.RetryAfter) * time.Second
		if after <= 0 {
			after = time.Second
		}
		return &bot.RetryAfterError{After: after, Err: fmt.Errorf("%s: %w", op, err)}
	case errors.Is(err, tgbot.ErrorForbidden), // the user blocked the bot
		errors.Is(err, tgbot.ErrorBadRequest),   // e.g. chat not found
		errors.Is(err, tgbot.ErrorUnauthorized), // bad bot token
		errors.As(err, &migrate):                // a group became a supergroup
		return fmt.Errorf("%s: %w: %w", op, err, bot.ErrPermanent)
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
}

// SetWebhooks points every company's bot at publicURL/webhooks/telegram/<id>
// with the company's webhook secret, asking for messages and button presses
// (callback_query) only. It tries every company and returns the failures
// joined.
func (s *Sender) SetWebhooks(ctx context.Context, publicURL string) error {
	base := strings.TrimRight(publicURL, "/")
	if base == "" {
		return errors.New("telegram: set webhooks: empty public URL")
	}
	var errs []error
	for _, id := range s.order {
		cb := s.bots[id]
		ok, err := cb.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL:            base + webhookPath + url.PathEscape(id),
			SecretToken:    cb.secret,
			AllowedUpdates: allowedUpdates,
		})
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("telegram: set webhook for %s: %w", id, err))
		case !ok:
			errs = append(errs, fmt.Errorf("telegram: set webhook for %s: not accepted", id))
		default:
			s.log.InfoContext(ctx, "telegram webhook set", "company", id, "url", base+webhookPath+id)
		}
	}
	return errors.Join(errs...)
}
