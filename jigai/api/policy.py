from ninja import Router

router = Router(tags=["政策计算器"])
