"""The chat core: channel-neutral replies, actions, commands and conversations; every channel's border uses it."""
