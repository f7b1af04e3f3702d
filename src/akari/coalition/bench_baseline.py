"""The benchmark's deliberately naive booking path (``bench/booking_storm.py`` only).

It checks for an overlap in Python and then inserts, in a table with **no** exclusion
constraint (``bench_naive_block``, created by the benchmark), so concurrent requests race past
each other: the benchmark shows that its overlap check detects the double bookings this causes.
The endpoint exists only when the server runs with ``AKARI_BENCH_BASELINE=1`` (read per
request); otherwise it answers 404. Never enable it in production.
"""

from __future__ import annotations

import datetime as dt
import os

from django.db import connection
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class NaiveBookingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def post(self, request: Request) -> Response:
        if os.environ.get("AKARI_BENCH_BASELINE") != "1":
            raise Http404
        data = request.data if isinstance(request.data, dict) else {}
        beamline = str(data.get("beamline", ""))[:20]
        start = dt.datetime.fromisoformat(str(data.get("start")))
        end = dt.datetime.fromisoformat(str(data.get("end")))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM bench_naive_block WHERE beamline = %s AND start < %s AND "
                '"end" > %s LIMIT 1',
                [beamline, end, start],
            )
            if cursor.fetchone():
                return Response({"code": "slot_taken"}, status=409)
            cursor.execute(
                'INSERT INTO bench_naive_block (beamline, start, "end", person_id) '
                "VALUES (%s, %s, %s, %s)",
                [beamline, start, end, request.user.pk],
            )
        return Response({"code": "booked"}, status=201)
