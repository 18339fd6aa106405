// Package telegram connects the bot to Telegram: Webhook turns Bot API
// updates posted to /webhooks/telegram/:company (messages and inline
// button presses) into bot.Inbound messages, and Sender delivers
// bot.Outbound messages, with their buttons as an inline keyboard, through
// each company's bot with Telegram's rate limits and message-length limit
// respected. Sender also sets the dispatchers' command menu.
package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/labstack/echo/v4"

	"dispatchbot/bot"
	"dispatchbot/config"
)

// secretHeader carries the secret_token given to setWebhook on every update.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBytes bounds an update body when no BodyLimit middleware is in
// front; real updates are a few kilobytes.
const maxUpdateBytes = 1 << 20

// defaultBudget is how long one update may take to apply.
const defaultBudget = 5 * time.Second

// Companies finds a company by id; *config.Config satisfies it.
type Companies interface {
	// Company returns the company with the given id and whether it exists.
	Company(id string) (*config.Company, bool)
}

// Handler applies one inbound message.
type Handler interface {
	// Handle applies in at most once (deduplicated on in.ProviderID). An
	// error means it was not applied and the provider should retry; the
	// webhook treats bot.ErrDuplicate as applied.
	Handle(ctx context.Context, in bot.Inbound) error
}

// WebhookOptions tune a Webhook; the zero value is usable.
type WebhookOptions struct {
	Observer bot.Observer     // counts rejected and ignored updates; nil records nothing
	Log      *slog.Logger     // nil means slog.Default()
	Budget   time.Duration    // time allowed to apply one update; 0 means 5s
	Now      func() time.Time // clock for messages without a date; nil means time.Now
}

// Webhook receives Telegram updates for every company with a Telegram bot.
type Webhook struct {
	companies Companies
	h         Handler
	obs       bot.Observer
	log       *slog.Logger
	budget    time.Duration
	now       func() time.Time
}

// NewWebhook returns a Webhook that passes private text messages and
// button presses to h.
func NewWebhook(companies Companies, h Handler, opts WebhookOptions) *Webhook {
	w := &Webhook{
		companies: companies,
		h:         h,
		obs:       opts.Observer,
		log:       opts.Log,
		budget:    opts.Budget,
		now:       opts.Now,
	}
	if w.obs == nil {
		w.obs = bot.NopObserver{}
	}
	if w.log == nil {
		w.log = slog.Default()
	}
	if w.budget <= 0 {
		w.budget = defaultBudget
	}
	if w.now == nil {
		w.now = time.Now
	}
	return w
}

// Update handles POST /webhooks/telegram/:company. It answers 404 for an
// unknown company, 403 for a wrong secret token, 400 for a malformed update,
// 503 when the update could not be applied (Telegram retries) and 200
// otherwise, including for updates the bot ignores. The 200 body is empty,
// except for a button press (callback_query), applied or ignored: then it is
// an answerCallbackQuery call, which Telegram runs so the button stops
// spinning without a separate API request.
func (w *Webhook) Update(c echo.Context) error {
	id := c.Param("company")
	co, ok := w.companies.Company(id)
	if !ok || co.Channels.Telegram == nil {
		return w.reject(http.StatusNotFound, "unknown company")
	}
	if !secretMatches(c.Request().Header.Get(secretHeader), co.Channels.Telegram.WebhookSecret) {
		return w.reject(http.StatusForbidden, "invalid secret token")
	}

	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxUpdateBytes+1))
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) { // BodyLimit's 413, passed on unchanged
			w.obs.Inbound(bot.Telegram, bot.OutcomeRejected)
			return he
		}
		return w.reject(http.StatusBadRequest, "malformed update")
	}
	if len(body) > maxUpdateBytes {
		return w.reject(http.StatusRequestEntityTooLarge, "update too large")
	}
	var upd models.Update
	if err := json.Unmarshal(body, &upd); err != nil || upd.ID == 0 {
		return w.reject(http.StatusBadRequest, "malformed update")
	}

	var in bot.Inbound
	var answer []byte // the method call Telegram runs on our 200, if any
	if cq := upd.CallbackQuery; cq != nil {
		in, ok = w.callbackInbound(id, cq)
		answer = answerBody(cq)
	} else {
		in, ok = w.inbound(id, &upd)
	}
	if !ok {
		w.obs.Inbound(bot.Telegram, bot.OutcomeIgnored)
		return ack(c, answer)
	}

	ctx, cancel := context.WithTimeout(c.Request().Context(), w.budget)
	defer cancel()
	if err := w.h.Handle(ctx, in); err != nil && !errors.Is(err, bot.ErrDuplicate) {
		w.log.ErrorContext(ctx, "telegram update not applied",
			"company", id,
			"update_id", upd.ID,
			"provider_id", in.ProviderID,
			"from", in.From.Masked(),
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "temporarily unavailable")
	}
	return ack(c, answer)
}

// ack answers 200 with answer as a JSON method call, or with no body when
// answer is nil.
func ack(c echo.Context, answer []byte) error {
	if answer == nil {
		return c.NoContent(http.StatusOK)
	}
	return c.JSONBlob(http.StatusOK, answer)
}

// reject counts a refused request and returns its HTTP error.
func (w *Webhook) reject(code int, msg string) error {
	w.obs.Inbound(bot.Telegram, bot.OutcomeRejected)
	return echo.NewHTTPError(code, msg)
}

// inbound turns a private text message, or a photo or document with or
// without a caption, into an Inbound; every other kind of update reports
// false. A photo is kept as "telegram-file:<file_id>" (its download URL
// would carry the bot token).
func (w *Webhook) inbound(company string, upd *models.Update) (bot.Inbound, bool) {
	m := upd.Message
	if m == nil || m.Chat.Type != models.ChatTypePrivate {
		return bot.Inbound{}, false
	}
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	var media []string
	if n := len(m.Photo); n > 0 {
		media = append(media, "telegram-file:"+m.Photo[n-1].FileID) // the largest size comes last
	}
	if m.Document != nil {
		media = append(media, "telegram-file:"+m.Document.FileID)
	}
	if strings.TrimSpace(text) == "" && len(media) == 0 {
		return bot.Inbound{}, false
	}
	at := w.now().UTC()
	if m.Date > 0 {
		at = time.Unix(int64(m.Date), 0).UTC()
	}
	return bot.Inbound{
		Company:    company,
		From:       bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(m.Chat.ID, 10)},
		Text:       text,
		Media:      media,
		ProviderID: strconv.FormatInt(upd.ID, 10),
		At:         at,
	}, true
}

// secretMatches compares the header with the configured secret in constant
// time. Hashing first hides the secret's length too. An unset secret never
// matches, so a half-configured company fails closed.
func secretMatches(got, want string) bool {
	if want == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
