from __future__ import annotations

from rest_framework import serializers

from akari.accounts.models import Affiliation, Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name_ja", "name_en", "kind", "sector", "country", "prefecture"]


class AffiliationSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["organisation", "department", "position", "is_primary"]


class MeSerializer(serializers.ModelSerializer):
    affiliations = AffiliationSerializer(many=True, read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "family_name",
            "given_name",
            "family_name_ja",
            "given_name_ja",
            "preferred_language",
            "career_stage",
            "orcid",
            "country",
            "roles",
            "affiliations",
        ]

    def get_roles(self, user: User) -> list[str]:
        return sorted(group.name for group in user.groups.all())
