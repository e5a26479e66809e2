"""Jobs: deciding what to build and when (manifest, fingerprints, update, schedule, watch).

Nothing here renders: builds go through ``briefing.build`` only.
"""
