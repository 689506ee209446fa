"""Shortlists of the demo counsellor, as a new user meets them (issue: variety, target field).

Usage, after ``qualimatch seed-demo`` on the database in DATABASE_URL:
    PYTHONPATH=$PWD .venv/bin/python bench/ranking/demo_shortlists.py [--profiles 30] [--k 5]

Counts, over the first profiles of the counsellor ``beratung``: the ranking mode, lists with
three or more items of one measure type (and how many types they hold), people whose top three
(top five) hold an offer in one of their target fields (same first two KldB digits), items
with provider phone or e-mail, and the mean top-1 ``effect_pp``. Nothing is stored: the
session is rolled back.
"""

from __future__ import annotations

import argparse
from collections import Counter

from sqlmodel import Session, select

from models.offer import Offer
from models.profile import Profile
from models.user import User
from service import create_app
from service.core.db import get_engine
from service.recommendations.requests import create_recommendation, to_public


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=30)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    app = create_app()
    stats: Counter[str] = Counter()
    effects: list[float] = []
    with app.app_context(), Session(get_engine(app)) as session:
        user = session.exec(select(User).where(User.username == "beratung")).one()
        query = select(Profile).where(Profile.owner_id == user.id).order_by(Profile.id)
        for profile in session.exec(query.limit(args.profiles)).all():
            public = to_public(create_recommendation(session, profile.id, user=user, k=args.k))
            items = public["items"]
            stats["lists"] += 1
            stats[f"mode {public['mode']}"] += 1
            types = Counter(item["measure_type"] for item in items)
            if types and max(types.values()) >= 3:
                stats[f"3+ of one type ({len(types)} types in the list)"] += 1
            fields = {code[:2] for code in profile.target_occupations}
            offers = [session.get(Offer, item["offer_id"]) for item in items]
            hits = [any(c[:2] in fields for c in o.target_occupations) for o in offers if o]
            if fields:
                stats["with target occupations"] += 1
                stats["target field in top 3"] += any(hits[:3])
                stats["target field in top 5"] += any(hits)
            stats["lists with contact on every item"] += all(
                item["provider"] and (item["provider"]["phone"] or item["provider"]["email"])
                for item in items
            )
            if items and items[0]["effect_pp"] is not None:
                effects.append(items[0]["effect_pp"])
        session.rollback()
    for key, value in stats.items():
        print(f"{key}: {value}")
    if effects:
        print(f"mean top-1 effect_pp: {sum(effects) / len(effects):.1f} ({len(effects)} lists)")


if __name__ == "__main__":
    main()
