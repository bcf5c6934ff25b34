import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createApi } from './api.js';
import 'govuk-frontend/dist/govuk/govuk-frontend.min.css';
import './styles.css';
// After the base styles, so equal-specificity rules here win over GOV.UK's.
import './screens/meetings/meetings.css';

const root = document.getElementById('app');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={createApi()} />
    </StrictMode>,
  );
}
