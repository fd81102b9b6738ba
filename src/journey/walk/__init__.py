"""The walk: the state machine over a route, answers and their kinds, conditions, deadlines,
answers given in advance, the drive loop with its UI protocol, and the route finder.

May import the foundation modules, `journey.routes` and the record format
(`journey.records.format`, the walk's vocabulary); never a terminal library.
"""
