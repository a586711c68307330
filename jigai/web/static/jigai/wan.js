/* 万元 boxes (jigai.core.forms.WanYuanInput): show the yuan figure beside the box as the user types.
   Exact string arithmetic (no floats): "1,200.5" 万元 → "12,005,000 元". Delegated, so boxes brought in
   by htmx work too. Without JS the box is a plain input and the server shows the figure. */
(function () {
  "use strict";
  if (window.jigaiWan) return;
  window.jigaiWan = true;
  var MESSAGE = "请输入以万元为单位的金额，最多 6 位小数";

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function yuanText(raw) {
    var text = raw.replace(/[,，\s]/g, "");
    if (text === "") return "";
    var m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text);
    if (!m) return MESSAGE;
    var frac = (m[2] || "") + "000000";
    var whole = (m[1] + frac.slice(0, 4)).replace(/^0+(?=\d)/, "");
    var fen = frac.slice(4, 6);
    return "= " + group(whole) + (fen === "00" ? "" : "." + fen) + " 元";
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-wan-yuan]")) return;
    var field = box.closest(".wan-field");
    var echo = field && field.querySelector("output.wan-echo");
    if (echo) echo.textContent = yuanText(box.value);
  });
})();
