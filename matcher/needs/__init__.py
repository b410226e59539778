"""Agency needs: intake, states, certificate defaults from the dated policy."""
