package config

// Env is the process environment the service reads at start.
type Env struct {
	RedisURL        string // REDIS_URL; empty means an embedded in-process Redis
	RedisPrefix     string // REDIS_PREFIX, the first part of every key; default "dispatchbot"
	ListenAddr      string // LISTEN_ADDR, default ":8080"
	PublicURL       string // PUBLIC_URL; empty means each request's own URL
	ConfigPath      string // DISPATCHBOT_CONFIG; empty means the demo company
	AdminToken      string // ADMIN_TOKEN; empty means a random token is made at start
	TwilioAPIBase   string // TWILIO_API_BASE; empty means Twilio's own API
	TelegramAPIBase string // TELEGRAM_API_BASE; empty means Telegram's own API
	LogLevel        string // LOG_LEVEL: debug, info, warn or error; default info
	NudgeAfter      string // NUDGE_AFTER: silence before a customer is reminded once, e.g. "30m"
	ExpireAfter     string // EXPIRE_AFTER: silence before an unfinished request is closed, e.g. "24h"

	// Outbox delivery tuning; empty means the delivery worker's default.
	// Fault tests shorten them so that a take-over or a retry takes seconds.
	OutboxClaimIdle   string // OUTBOX_CLAIM_IDLE: pending this long with one instance, a reply is taken over by another; default 60s
	OutboxRetryBase   string // OUTBOX_RETRY_BASE: wait before the first retry of a failed send, doubled each time; default 2s
	OutboxMaxAttempts string // OUTBOX_MAX_ATTEMPTS: failed sends before a reply goes to the dead letters; default 8
}

// LoadEnv reads the environment through getenv and fills in defaults.
func LoadEnv(getenv func(string) string) Env {
	e := Env{
		RedisURL:        getenv("REDIS_URL"),
		RedisPrefix:     getenv("REDIS_PREFIX"),
		ListenAddr:      getenv("LISTEN_ADDR"),
		PublicURL:       getenv("PUBLIC_URL"),
		ConfigPath:      getenv("DISPATCHBOT_CONFIG"),
		AdminToken:      getenv("ADMIN_TOKEN"),
		TwilioAPIBase:   getenv("TWILIO_API_BASE"),
		TelegramAPIBase: getenv("TELEGRAM_API_BASE"),
		LogLevel:        getenv("LOG_LEVEL"),
		NudgeAfter:      getenv("NUDGE_AFTER"),
		ExpireAfter:     getenv("EXPIRE_AFTER"),

		OutboxClaimIdle:   getenv("OUTBOX_CLAIM_IDLE"),
		OutboxRetryBase:   getenv("OUTBOX_RETRY_BASE"),
		OutboxMaxAttempts: getenv("OUTBOX_MAX_ATTEMPTS"),
	}
	if e.ListenAddr == "" {
		e.ListenAddr = ":8080"
	}
	if e.RedisPrefix == "" {
		e.RedisPrefix = "dispatchbot"
	}
	if e.LogLevel == "" {
		e.LogLevel = "info"
	}
	if e.NudgeAfter == "" {
		e.NudgeAfter = "30m"
	}
	if e.ExpireAfter == "" {
		e.ExpireAfter = "24h"
	}
	return e
}
