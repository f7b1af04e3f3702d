"""Pages of the support services (consultations, matching, orders), one module each."""
