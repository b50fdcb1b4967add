"""The site put under load: the benchmark (`make bench`) and the soak (`make soak`).

Both run the site as `make serve` runs it, on a synthetic newsroom of their own (see
newsroom.synthetic), and share what harness.py holds: the settings guard, the run's newsroom, the
servers they start and stop, and the percentiles of what they measure.
"""
