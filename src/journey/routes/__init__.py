"""Route files: the route model, reading and checking route YAML, finding routes, thresholds.

Owns everything about a route as data, before anyone walks it. May import the
foundation modules (`journey.errors`, `journey.text`, `journey.safeyaml`,
`journey.shapecheck`) and nothing else of journey; never a terminal library.
"""
