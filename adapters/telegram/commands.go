package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"dispatchbot/bot"
	"dispatchbot/config"
)

// SetCommands gives every configured dispatcher with a telegram_id the
// dispatcher command menu (bot.CommandMenu) in their private chat with the
// company's bot. The menu is scoped to each dispatcher's chat, so customers
// and technicians never see it. Companies without a Telegram bot and
// dispatchers without a telegram_id are skipped. It tries every dispatcher
// of every company and returns the failures joined, one error per company;
// a dispatcher who never opened the bot fails with "chat not found"
// (bot.ErrPermanent).
func (s *Sender) SetCommands(ctx context.Context, companies []*config.Company) error {
	menu := bot.CommandMenu()
	commands := make([]models.BotCommand, len(menu))
	for i, c := range menu {
		commands[i] = models.BotCommand{Command: c.Command, Description: c.Description}
	}
	var errs []error
	for _, co := range companies {
		if co == nil || co.Channels.Telegram == nil {
			continue
		}
		if err := s.setCompanyCommands(ctx, co, commands); err != nil {
			errs = append(errs, fmt.Errorf("telegram: set commands for %s: %w", co.ID, err))
		}
	}
	return errors.Join(errs...)
}

// setCompanyCommands sets commands in the private chat of each of co's
// dispatchers that has a telegram_id, and joins the failures.
func (s *Sender) setCompanyCommands(ctx context.Context, co *config.Company, commands []models.BotCommand) error {
	cb, ok := s.bots[co.ID]
	if !ok {
		return fmt.Errorf("no telegram bot: %w", bot.ErrPermanent)
	}
	var errs []error
	set := 0
	for _, d := range co.Dispatchers {
		if d.TelegramID == 0 {
			continue
		}
		chat := bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(d.TelegramID, 10)}
		ok, err := cb.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
			Commands: commands,
			Scope:    &models.BotCommandScopeChat{ChatID: d.TelegramID},
		})
		op := fmt.Sprintf("dispatcher %s (%s)", d.Name, chat.Masked())
		switch {
		case err != nil:
			errs = append(errs, classify(op, err))
		case !ok:
			errs = append(errs, fmt.Errorf("%s: not accepted", op))
		default:
			set++
		}
	}
	if set > 0 {
		s.log.InfoContext(ctx, "telegram command menu set", "company", co.ID, "dispatchers", set)
	}
	return errors.Join(errs...)
}
