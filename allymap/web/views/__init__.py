"""The web's views, split by area like the services they call.

`guard` holds what every view of an intervention shares: the unlocked-only decorator
(which also turns the services' errors into pages) and the mapping of refusals to form
fields. The area modules parse a form, call a service, and render its reading.
"""
