"""Pages of the proposals app: public calls, applicants' proposals and editing, staff pages."""
