package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"dispatchbot/adapters/telegram"
	"dispatchbot/config"
)

// setTelegramWebhooks points every company's Telegram bot at this
// service: PUBLIC_URL/webhooks/telegram/{company}, with the company's
// webhook secret as secret_token.
func setTelegramWebhooks(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env := config.LoadEnv(getenv)
	if env.PublicURL == "" {
		return fmt.Errorf("PUBLIC_URL is not set: Telegram must be told where to send updates")
	}
	log := slog.New(slog.NewTextHandler(stdout, nil))
	cfg, err := loadConfig(env, getenv, log)
	if err != nil {
		return err
	}
	tg, err := telegram.NewSender(cfg.Companies, telegram.SenderOptions{APIBase: env.TelegramAPIBase, Log: log})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := tg.SetWebhooks(ctx, env.PublicURL); err != nil {
		return err
	}
	return tg.SetCommands(ctx, cfg.Companies)
}
