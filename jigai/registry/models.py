from django.db import models


class Enterprise(models.Model):
    """An enterprise (企业), identified by its unified social credit code (统一社会信用代码)."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="enterprises"
    )

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"

    def __str__(self) -> str:
        return self.name
