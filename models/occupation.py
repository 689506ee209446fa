"""The official occupation classification KldB 2010 (Fassung 2020): classes and job titles."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel


class Occupation(SQLModel, table=True):
    """A KldB class; level 5 (five digits) is an occupation type, its last digit the skill level."""

    code: str = Field(primary_key=True, sa_type=String(5))
    level: int = Field(ge=1, le=5, index=True)
    title: str = Field(sa_type=String(300))
    short_title: str = Field(sa_type=String(300))
    description: str = Field(default="", sa_type=Text)


class OccupationTitle(SQLModel, table=True):
    __tablename__ = "occupation_title"

    job_code: str = Field(primary_key=True, sa_type=String(12))
    kldb5: str = Field(foreign_key="occupation.code", index=True, sa_type=String(5))
    title: str = Field(sa_type=String(300))


class OccupationMatchPublic(SQLModel):
    code: str
    title: str
    score: float
