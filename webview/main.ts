// Panel entry point (browser bundle). The real diagram and controls arrive in a later issue.
function render(): void {
  const heading = document.createElement('h1');
  heading.textContent = 'GMP Tutor panel — coming soon';
  document.body.replaceChildren(heading);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', render);
} else {
  render();
}
