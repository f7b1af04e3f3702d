"""Writes of the support services app, one module per domain word:

* :mod:`.consultations` — the consultation desk (open, verify, reply, assign, resolve, convert);
* :mod:`.attachments` — checking uploaded files;
* :mod:`.matching` — expertise profiles, company needs, suggestions, contact and answers;
* :mod:`.orders` — service orders from request to invoice (prices from :mod:`.pricing`).
"""
