package telegramtest

import (
	"encoding/json"
	"time"
)

// Update returns the JSON of an update carrying a private-chat text message
// from user chatID (in a private chat the chat id is the user id), dated now.
func Update(updateID int64, chatID int64, text string) []byte {
	b, err := json.Marshal(map[string]any{
		"update_id": updateID,
		"message": map[string]any{
			"message_id": updateID,
			"date":       time.Now().Unix(),
			"from":       map[string]any{"id": chatID, "is_bot": false, "first_name": "Test"},
			"chat":       map[string]any{"id": chatID, "type": "private", "first_name": "Test"},
			"text":       text,
		},
	})
	if err != nil { // maps of strings and numbers always marshal
		panic("telegramtest: marshal update: " + err.Error())
	}
	return b
}

// CallbackUpdate returns the JSON of an update carrying a press, by user
// chatID in their private chat with the bot, of an inline button with
// callback data data under one of the bot's messages. callbackID is the
// press's id; Telegram gives every press a fresh one.
func CallbackUpdate(updateID int64, chatID int64, callbackID, data string) []byte {
	b, err := json.Marshal(map[string]any{
		"update_id": updateID,
		"callback_query": map[string]any{
			"id":            callbackID,
			"from":          map[string]any{"id": chatID, "is_bot": false, "first_name": "Test"},
			"chat_instance": "ci-" + callbackID,
			"data":          data,
			"message": map[string]any{
				"message_id": updateID,
				"date":       time.Now().Unix(),
				"from":       map[string]any{"id": 1, "is_bot": true, "first_name": "Test Bot"},
				"chat":       map[string]any{"id": chatID, "type": "private", "first_name": "Test"},
				"text":       "Pick one",
			},
		},
	})
	if err != nil { // maps of strings and numbers always marshal
		panic("telegramtest: marshal callback update: " + err.Error())
	}
	return b
}
