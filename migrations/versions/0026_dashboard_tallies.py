"""dashboard tallies: per sponsor and year, the enrollments by status and the doctors
trained by specialty

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 01:00:00

The dashboard counted every enrollment of every year on each view (and made the completed
ones distinct per year and doctor); the app's session now keeps these tallies on flush
(reports/tallies.py). The upgrade fills them from the enrollments already stored: the
sponsor '' stands for every cohort, sponsored or not; the year is the one a cohort ended.
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

STATUSES = ('invited', 'confirmed', 'completed', 'incomplete', 'withdrawn')


def upgrade():
    op.create_table(
        'trained_doctor_tallies',
        sa.Column('sponsor', sa.String(length=200), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('specialty', sa.String(length=50), nullable=False),
        sa.Column('doctors', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            'sponsor', 'year', 'specialty', name=op.f('pk_trained_doctor_tallies')
        ),
    )
    op.create_table(
        'enrollment_status_tallies',
        sa.Column('sponsor', sa.String(length=200), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column(
            'status',
            sa.Enum(*STATUSES, name='enrollment_status', native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column('enrollments', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            'sponsor', 'year', 'status', name=op.f('pk_enrollment_status_tallies')
        ),
    )
    if op.get_bind().dialect.name == 'postgresql':
        year = "CAST(EXTRACT(year FROM cohorts.end_date) AS INTEGER)"
    else:
        year = "CAST(strftime('%Y', cohorts.end_date) AS INTEGER)"
    rows = (
        "SELECT {distinct}{sponsor} AS sponsor, {year} AS year, {columns} "
        "FROM enrollments JOIN cohorts ON cohorts.id = enrollments.cohort_id{where}"
    )

    def per_sponsor(columns, where='', distinct=''):
        """The rows under '' for every cohort, and under the sponsor for sponsored ones."""
        every = rows.format(
            distinct=distinct, sponsor="''", year=year, columns=columns,
            where=f" WHERE {where}" if where else "",
        )
        sponsored = rows.format(
            distinct=distinct, sponsor="cohorts.sponsor", year=year, columns=columns,
            where=" WHERE cohorts.sponsor IS NOT NULL AND cohorts.sponsor != ''"
            + (f" AND {where}" if where else ""),
        )
        return f"({every} UNION ALL {sponsored}) AS per_sponsor"

    op.execute(
        "INSERT INTO enrollment_status_tallies (sponsor, year, status, enrollments) "
        "SELECT sponsor, year, status, count(*) "
        f"FROM {per_sponsor('enrollments.status')} GROUP BY sponsor, year, status"
    )
    pairs = per_sponsor(
        'enrollments.doctor_id', "enrollments.status = 'completed'", distinct='DISTINCT '
    )
    op.execute(
        "INSERT INTO trained_doctor_tallies (sponsor, year, specialty, doctors) "
        "SELECT per_sponsor.sponsor, per_sponsor.year, coalesce(doctors.specialty, ''), count(*) "
        f"FROM {pairs} JOIN doctors ON doctors.id = per_sponsor.doctor_id "
        "GROUP BY per_sponsor.sponsor, per_sponsor.year, coalesce(doctors.specialty, '')"
    )


def downgrade():
    op.drop_table('enrollment_status_tallies')
    op.drop_table('trained_doctor_tallies')
