"""Seed the holiday arrangements the chinese-calendar package covers (the State Council's notices)."""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    Day = apps.get_model("workdays", "CalendarDay")
    Year = apps.get_model("workdays", "CalendarYear")
    names = {
        "new year": "元旦",
        "spring festival": "春节",
        "tomb-sweeping": "清明节",
        "labour day": "劳动节",
        "dragon boat": "端午节",
        "national day": "国庆节",
        "mid-autumn": "中秋节",
    }

    def label(text):
        text = str(text or "")
        return next((v for k, v in names.items() if k in text.lower()), text[:30])

    rows, years = [], set()
    for table, kind in ((chinese_calendar.holidays, "holiday"), (chinese_calendar.workdays, "workday")):
        for day, name in table.items():
            weekend = day.weekday() >= 5
            years.add(day.year)
            if (kind == "holiday" and not weekend) or (kind == "workday" and weekend):
                rows.append(Day(day=day, kind=kind, name=label(name)))
    Day.objects.bulk_create(rows, ignore_conflicts=True)
    for year in sorted(years):
        Year.objects.get_or_create(year=year, defaults={"source": "package"})


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
