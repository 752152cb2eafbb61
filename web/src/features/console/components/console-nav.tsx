import { NavLink } from 'react-router';

const tabs = [
  { to: '/developers', label: 'Projects & keys', end: true },
  { to: '/developers/webhooks', label: 'Webhooks' },
  { to: '/developers/simulator', label: 'Simulator' },
  { to: '/developers/events', label: 'Events' },
  { to: '/webhooks/logs', label: 'Delivery logs' },
  { to: '/developers/api', label: 'API reference' },
];

export function ConsoleNav() {
  return (
    <nav aria-label="Developer console" className="-mx-4 mb-6 overflow-x-auto px-4">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink
              to={tab.to}
              end={tab.end ?? false}
              className={({ isActive }) =>
                `-mb-px block border-b-2 px-3 py-2 text-sm font-medium ${isActive ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`
              }
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
