"""The channel borders: one folder per channel (handlers/telegram/), each translating its channel to the chat core."""
