"""Support services: the consultation desk, partner matching, and service orders (mail-in /
measurement and data analysis). See ``akari/services/README.md`` for the rules."""

from akari.services.models.consultations import (
    Consultation,
    ConsultationAttachment,
    ConsultationMessage,
    MembershipEnquiry,
    Queue,
    Topic,
)
from akari.services.models.matching import CompanyNeed, ExpertiseProfile, MatchSuggestion
from akari.services.models.orders import OrderQuoteLine, OrderSample, ServiceOrder

__all__ = [
    "CompanyNeed",
    "Consultation",
    "ConsultationAttachment",
    "ConsultationMessage",
    "ExpertiseProfile",
    "MatchSuggestion",
    "MembershipEnquiry",
    "OrderQuoteLine",
    "OrderSample",
    "Queue",
    "ServiceOrder",
    "Topic",
]
