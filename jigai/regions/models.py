from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（市、区）"
    # The statistics bureau's functional zones (统计用区划代码 …71–73, e.g. 410173 航空港区): used by the
    # statistics, never counted as counties.
    ZONE = "zone", "功能区"


class Region(models.Model):
    """A GB/T 2260 administrative region of Henan (行政区划).

    Jiyuan (济源示范区, 419001) is a province-administered county-level unit with no 419000 above it; the
    programme treats it as a city-level unit directly under the province (level "city", no counties).
    """

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("级别", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes ("410000/410100/410102") so "this region and below" is one prefix match.
    path = models.CharField("路径", max_length=40, db_index=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_zone(self) -> bool:
        """A statistics zone (开发区、高新区、航空港区): listed with its city, never counted as a county."""
        return self.level == RegionLevel.ZONE

    @property
    def label(self) -> str:
        """The name as lists show it: a zone marked "（功能区）"."""
        return f"{self.name}（功能区）" if self.is_zone else self.name
