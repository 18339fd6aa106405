package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"dispatchbot/bot"
)

// maxCallbackBytes is Telegram's limit on a button's callback_data.
const maxCallbackBytes = 64

// callbackPrefix starts the ProviderID of a button press, so it can never
// equal a message's update_id in the company's dedupe keys.
const callbackPrefix = "cb:"

// keyboard turns m.Buttons into an inline keyboard whose callback_data is
// each button's Reply. Buttons Telegram would refuse (blank text, a Reply
// that is empty or over 64 bytes) are dropped and logged at debug; empty
// rows are dropped. With no button left it returns a nil interface, so the
// request carries no reply_markup at all.
func (s *Sender) keyboard(ctx context.Context, m bot.Outbound) models.ReplyMarkup {
	var rows [][]models.InlineKeyboardButton
	for _, row := range m.Buttons {
		var out []models.InlineKeyboardButton
		for _, b := range row {
			if reason := buttonProblem(b); reason != "" {
				s.log.DebugContext(ctx, "telegram button dropped",
					"company", m.Company, "to", m.To.Masked(), "button", b.Text,
					"reply_bytes", len(b.Reply), "reason", reason)
				continue
			}
			out = append(out, models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Reply})
		}
		if len(out) > 0 {
			rows = append(rows, out)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// buttonProblem says why Telegram would refuse b as a callback button, or
// returns "" when it is fine.
func buttonProblem(b bot.Button) string {
	switch {
	case strings.TrimSpace(b.Text) == "":
		return "blank text"
	case b.Reply == "":
		return "empty reply"
	case len(b.Reply) > maxCallbackBytes:
		return "reply over 64 bytes"
	default:
		return ""
	}
}

// callbackAnswer is the method call returned as a webhook's response body
// to stop a pressed button's spinner without a separate API request.
type callbackAnswer struct {
	Method          string `json:"method"`
	CallbackQueryID string `json:"callback_query_id"`
}

// answerBody returns the answerCallbackQuery call for cq as JSON, or nil
// when cq has no id to answer.
func answerBody(cq *models.CallbackQuery) []byte {
	if cq.ID == "" {
		return nil
	}
	b, err := json.Marshal(callbackAnswer{Method: "answerCallbackQuery", CallbackQueryID: cq.ID})
	if err != nil { // two strings always marshal
		return nil
	}
	return b
}

// callbackInbound turns a button press in a private chat into an Inbound as
// if the person had typed the button's data. Presses without data or id,
// from groups, or on inline-mode messages (which carry no chat) report
// false. The press has no date of its own, so At is now.
func (w *Webhook) callbackInbound(company string, cq *models.CallbackQuery) (bot.Inbound, bool) {
	var chat *models.Chat
	switch m := cq.Message; {
	case m.Message != nil:
		chat = &m.Message.Chat
	case m.InaccessibleMessage != nil: // the message is over 48 hours old
		chat = &m.InaccessibleMessage.Chat
	default:
		return bot.Inbound{}, false
	}
	if cq.ID == "" || strings.TrimSpace(cq.Data) == "" ||
		chat.Type != models.ChatTypePrivate || chat.ID == 0 || cq.From.ID != chat.ID {
		return bot.Inbound{}, false
	}
	return bot.Inbound{
		Company:    company,
		From:       bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(chat.ID, 10)},
		Text:       cq.Data,
		ProviderID: callbackPrefix + cq.ID,
		At:         w.now().UTC(),
	}, true
}
