"""Channel senders: one outbound call per attempt, its failures turned into outcomes."""
