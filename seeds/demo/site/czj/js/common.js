/* common.js: TRS page helpers */
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) {
    return;
  }
  var nCurrIndex = _nCurrIndex || 0;
  var pageUrl = function (i) {
    return i === 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt;
  };
  var html = [];
  html.push("<span>\u5171" + _nPageCount + "\u9875</span>");
  if (nCurrIndex === 0) {
    html.push("<span>\u9996\u9875</span><span>\u4e0a\u4e00\u9875</span>");
  } else {
    html.push("<a href=\"" + pageUrl(0) + "\">\u9996\u9875</a>");
    html.push("<a href=\"" + pageUrl(nCurrIndex - 1) + "\">\u4e0a\u4e00\u9875</a>");
  }
  for (var i = 0; i < _nPageCount; i++) {
    if (i === nCurrIndex) {
      html.push("<span class=\"current\">" + (i + 1) + "</span>");
    } else {
      html.push("<a href=\"" + pageUrl(i) + "\">" + (i + 1) + "</a>");
    }
  }
  if (nCurrIndex === _nPageCount - 1) {
    html.push("<span>\u4e0b\u4e00\u9875</span><span>\u5c3e\u9875</span>");
  } else {
    html.push("<a href=\"" + pageUrl(nCurrIndex + 1) + "\">\u4e0b\u4e00\u9875</a>");
    html.push("<a href=\"" + pageUrl(_nPageCount - 1) + "\">\u5c3e\u9875</a>");
  }
  document.write(html.join(""));
}

function doZoom(size) {
  var el = document.getElementById("zoom");
  if (el) {
    el.style.fontSize = size + "px";
  }
}
