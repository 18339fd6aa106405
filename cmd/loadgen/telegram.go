package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// telegramBot is what loadgen must know of the company's Telegram bot to
// pose as Telegram.
type telegramBot struct {
	PostURL string // the target's /webhooks/telegram/<company>
	Secret  string // the webhook secret, sent as X-Telegram-Bot-Api-Secret-Token
}

// tgUser is the sender of an update, and its private chat.
type tgUser struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Type      string `json:"type,omitempty"`
}

type tgMessage struct {
	MessageID int64  `json:"message_id"`
	Date      int64  `json:"date"`
	From      tgUser `json:"from"`
	Chat      tgUser `json:"chat"`
	Text      string `json:"text"`
}

type tgUpdate struct {
	UpdateID int64     `json:"update_id"`
	Message  tgMessage `json:"message"`
}

// tgUpdateJSON is the body of an update carrying a private text message
// from user chatID, as Telegram posts it.
func tgUpdateJSON(updateID, chatID int64, text string, now time.Time) ([]byte, error) {
	u := tgUpdate{UpdateID: updateID, Message: tgMessage{
		MessageID: updateID,
		Date:      now.Unix(),
		From:      tgUser{ID: chatID, FirstName: "Load"},
		Chat:      tgUser{ID: chatID, FirstName: "Load", Type: "private"},
		Text:      text,
	}}
	b, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("marshal update: %w", err)
	}
	return b, nil
}
