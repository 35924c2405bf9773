#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring answering the
# Secret Service API, so keychain tests talk to a real keychain, not a mock.
set -euo pipefail
if [ -z "${SB_IN_KEYRING_SESSION:-}" ]; then
  exec dbus-run-session -- env SB_IN_KEYRING_SESSION=1 bash "$0" "$@"
fi
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
# The login keyring is created and unlocked with a throwaway password on first start.
eval "$(printf 'switchboard-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL
exec "$@"
