// The tenderer's upload of a version of the tender documents from the section page: the chosen
// file is sent as it is (streamed, content-addressed by the platform) with the page's form token,
// then the page reloads to show the new version.
"use strict";
(function () {
  const form = document.getElementById("documents-form");
  if (!form) return;
  const status = document.getElementById("document-status");
  const bar = document.getElementById("document-progress");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = document.getElementById("documentFile").files[0];
    if (!file) { status.textContent = "请选择文件。Choose a file."; return; }
    const request = new XMLHttpRequest();
    request.open("PUT", "/sections/" + encodeURIComponent(form.dataset.section) + "/document-versions/" +
      encodeURIComponent(file.name));
    request.setRequestHeader("content-type", "application/octet-stream");
    request.setRequestHeader("zhaocai-form", form.dataset.formToken);
    bar.hidden = false;
    request.upload.onprogress = (progress) => {
      if (progress.lengthComputable) bar.value = 100 * progress.loaded / progress.total;
    };
    request.onload = () => {
      let answer = null;
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
      if (request.status === 201 && answer) {
        location.assign(location.pathname + "?done=documents");
        return;
      }
      status.textContent = answer ? (answer.detailChinese || "") + " " + (answer.detail || "") + " (" + answer.code + ")" : "HTTP " + request.status;
    };
    request.onerror = () => { status.textContent = "连接中断，请重试。The connection was cut: try again."; };
    request.send(file);
  });
})();
