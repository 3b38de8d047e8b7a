"""The benchmark driver behind bench/run."""
