#include <bits/stdc++.h>
using namespace std;

// the largest element and how often it occurs
int main() {
  int n;
  cin >> n;
  vector<int> a(n);
  for (int i = 0; i < n; i++) cin >> a[i];
  int best = a[0], count = 0;
  for (int i = 0; i < n; i++) {
    if (a[i] > best) {
      best = a[i];
      count = 1;
    } else if (a[i] == best) {
      count++;
    }
  }
  string s;
  cin >> s;
  if (s.size() % 2 == 0) {
    cout << "YES" << endl;
  } else {
    cout << "NO" << endl;
  }
  cout << best << " " << count << endl;
  return 0;
}
