"""What an agency's own system shares with the hub: request signing. Pure, no I/O."""
