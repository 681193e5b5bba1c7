"""The one task model every kind of work publishes: states, steps and the view the panels show."""
