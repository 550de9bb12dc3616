"""Tables for the service (issue: Service): API tokens and sessions. Empty until that work
lands."""
