"""Share of approved demo offers a person can start within a year of seeding.

Seeds the demo catalogue (``qualimatch seed-demo`` defaults: 300 offers, seed 7) into a
temporary SQLite database and counts the approved offers with rolling entry or a start date in
the next 365 days. Run: ``.venv/bin/python bench/offers/demo_start_share.py [--offers 300]``.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from models.enums import OfferStatus, Role
from models.offer import Offer
from models.user import User
from service import create_app
from service.core.clock import local_today
from service.core.db import get_engine
from service.core.migrations import upgrade
from service.demo.seed import seed_demo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    today = local_today()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x" * 32, "PSEUDONYM_KEY": "y" * 32})
        engine = get_engine(app)
        upgrade(engine)
        with Session(engine) as session:
            session.add(User(username="beratung", role=Role.COUNSELLOR))
            session.commit()
            seed_demo(
                session,
                n_profiles=50,
                n_offers=args.offers,
                n_history=500,
                seed=args.seed,
                pseudonym_key="y" * 32,
                today=today,
            )
            offers = session.exec(select(Offer).where(Offer.status == OfferStatus.APPROVED)).all()
        engine.dispose()
    horizon = today + timedelta(days=365)
    soon = [
        o for o in offers if o.rolling_entry or any(today <= d <= horizon for d in o.start_dates)
    ]
    rolling = sum(o.rolling_entry for o in offers)
    print(
        f"{len(soon)} of {len(offers)} approved demo offers start within a year "
        f"({100 * len(soon) / len(offers):.1f} %), {rolling} with rolling entry."
    )


if __name__ == "__main__":
    main()
