"""The figures of /dashboard/: 上云率, 互动指数, care, needs, watch and workforce.

The top floor of portal/: it imports the apps (portal's ground does not).
"""
