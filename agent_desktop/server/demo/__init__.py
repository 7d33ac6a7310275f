"""The reference server's demo mode: a believable shop seeded once per database (`seed.seed_demo`)
and a customer simulator that keeps it moving (`simulator.Simulator`).
"""
